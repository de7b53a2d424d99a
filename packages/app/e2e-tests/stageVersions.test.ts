import { expect, test } from '@playwright/test';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateModelPackageCommand,
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { expectAccessible } from './axe';
import { reloadUntilVisible } from './reloadUntilVisible';
import { CENTRAL_MODEL, openVersion } from './openVersion';
import { signInNewSession } from './signInAs';

const SANDBOX = 'http://127.0.0.1:4566';
const SHARED = '111111111111';
const BUCKET = `ml-shared-artifacts-${SHARED}`;
// Relative to the repository root, where the browser tests run. The frontend
// plugin's README shows them from its docs/, rewritten only when asked
// (UPDATE_SCREENSHOTS=1), so that a test run leaves the checkout as it was.
const docs = process.env.UPDATE_SCREENSHOTS
  ? 'plugins/ml-registry/docs'
  : 'test-results/screenshots/docs';
/** The size the README's screenshots are taken at. */
const SCREENSHOT_SIZE = { viewport: { width: 1440, height: 900 } };
/** The digest of sagemaker-xgboost:1.7-1 in the sandbox's scenario. */
const XGBOOST_DIGEST =
  'sha256:5ec3fa1a597f613a31c2d8bbb9f19d609d4285f2bf602e73fff7fbcf2db8cdb8';
const root = { accessKeyId: SHARED, secretAccessKey: 'sandbox' };
const aws = { endpoint: SANDBOX, region: 'us-east-1', credentials: root };
const sagemaker = new SageMakerClient(aws);
const s3 = new S3Client({ ...aws, forcePathStyle: true });

/**
 * Registers a central fraud version as promotion makes it (its source named,
 * its image pinned by digest, its evaluation and bias reports in the shared
 * artifacts bucket), pending the ML engineer's approval; its version number.
 */
async function registerCentralVersion(
  tag: string,
  auc: number,
): Promise<{ arn: string; version: number }> {
  const prefix = `fraud-detection/stage-versions/${tag}`;
  const report = (key: string, body: object) =>
    s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `${prefix}/${key}`,
        Body: JSON.stringify(body),
      }),
    );
  await report('evaluation.json', {
    binary_classification_metrics: {
      auc: { value: auc },
      accuracy: { value: Number((auc - 0.04).toFixed(3)) },
    },
  });
  await report('bias.json', { post_training_bias_metrics: { facets: [] } });
  const { ModelPackageArn: arn } = await sagemaker.send(
    new CreateModelPackageCommand({
      ModelPackageGroupName: 'fraud-detection',
      ModelApprovalStatus: 'PendingManualApproval',
      // A dev version no other test walks through the gates.
      CustomerMetadataProperties: {
        'source-model-package-arn': `arn:aws:sagemaker:us-east-1:222222222222:model-package/fraud-detection/9${tag.length}`,
        auc: String(auc),
        'training-data': `s3://sagemaker-us-east-1-222222222222/datasets/fraud-detection/${tag}/`,
      },
      MetadataProperties: {
        Repository: 'https://git.example.com/fraud/fraud-detection.git',
        CommitId: `c0ffee${tag}`,
      },
      InferenceSpecification: {
        Containers: [
          {
            // Pinned by digest, as promotion pins it.
            Image: `683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost@${XGBOOST_DIGEST}`,
            ModelDataUrl: `s3://${BUCKET}/${prefix}/model.tar.gz`,
          },
        ],
        SupportedContentTypes: ['text/csv'],
        SupportedResponseMIMETypes: ['text/csv'],
      },
      ModelMetrics: {
        ModelQuality: {
          Statistics: {
            ContentType: 'application/json',
            S3Uri: `s3://${BUCKET}/${prefix}/evaluation.json`,
          },
        },
        Bias: {
          Report: {
            ContentType: 'application/json',
            S3Uri: `s3://${BUCKET}/${prefix}/bias.json`,
          },
        },
      },
    }),
  );
  return { arn: arn!, version: Number(arn!.split('/').pop()) };
}

/** Approves a version in the central registry as the console does; the deploy pipeline's rule starts a run. */
const approveInConsole = (arn: string) =>
  sagemaker.send(
    new UpdateModelPackageCommand({
      ModelPackageArn: arn,
      ModelApprovalStatus: 'Approved',
      ApprovalDescription: 'approved in the console for the stage test',
    }),
  );

test('each stage shows the version it runs, and each approver what changed against it', async ({
  browser,
}) => {
  test.setTimeout(480_000);
  // vA goes all the way to prod, as the console would take it there.
  const a = await registerCentralVersion('a', 0.91);
  await approveInConsole(a.arn);
  const mo = await signInNewSession(browser, 'mo.engineer', SCREENSHOT_SIZE);
  // Its run has deployed it to test and waits for the governance officer, who approves it to prod.
  const grace = await signInNewSession(
    browser,
    'grace.governance',
    SCREENSHOT_SIZE,
  );
  const aGovernance = (await openVersion(grace, a.version))(
    'Governance approval',
  );
  await expect(aGovernance.getByText('Pending', { exact: true })).toBeVisible({
    timeout: 180_000,
  });
  await aGovernance.getByRole('button', { name: 'Approve' }).click();
  const aChecklist = grace.getByRole('dialog');
  await aChecklist.getByLabel('I reviewed who can invoke the endpoint').check();
  await aChecklist.getByLabel(/^Reason/).fill('Reviewed for the stage test');
  // No card describes this test version: the officer overrides in writing.
  await aChecklist
    .getByLabel(/Override/)
    .fill('The card of this test version was reviewed outside SageMaker');
  await aChecklist.getByRole('button', { name: 'Approve' }).click();
  await expect(aChecklist).toBeHidden();
  await reloadUntilVisible(
    mo,
    `${CENTRAL_MODEL}?version=${a.version}`,
    mo
      .locator('.MuiCard-root', {
        has: mo.getByText('Deploy to prod', { exact: true }),
      })
      .getByText(`Runs v${a.version} on fraud-detection-prod (InService)`),
    180_000,
  );

  // vB goes to test only: its run waits at the governance officer's approval.
  const b = await registerCentralVersion('bb', 0.93);
  await approveInConsole(b.arn);
  const bCards = await openVersion(grace, b.version);
  await expect(
    bCards('Governance approval').getByText('Pending', { exact: true }),
  ).toBeVisible({ timeout: 180_000 });
  // Test runs vB, prod still runs vA, whatever is newest or approved.
  await expect(
    bCards('Deploy to test').getByText(
      `Runs v${b.version} on fraud-detection-test (InService)`,
    ),
  ).toBeVisible({ timeout: 90_000 });
  await expect(
    bCards('Deploy to prod').getByText(
      `Runs v${a.version} on fraud-detection-prod (InService)`,
    ),
  ).toBeVisible();

  // The officer compares vB with what prod runs, before the checklist.
  const governance = bCards('Governance approval');
  const changed = governance.getByRole('region', { name: 'What changed' });
  await expect(
    changed.getByText(
      `What changed: v${b.version} compared with v${a.version}, what prod runs now`,
    ),
  ).toBeVisible();
  const auc = changed
    .getByRole('table', { name: 'Metrics compared' })
    .getByRole('row', { name: /^auc / });
  await expect(auc).toHaveText(/0\.93.*0\.91.*\+0\.02/);
  await expect(changed.getByText('Training data: changed')).toBeVisible();
  await expect(changed.getByText('Code: changed')).toBeVisible();
  await expect(changed.getByText('Container image: same')).toBeVisible();
  await expect(
    changed.getByText(`v${b.version}: ${XGBOOST_DIGEST}`),
  ).toBeVisible();
  await governance.getByRole('button', { name: 'Approve' }).click();
  await expect(grace.getByRole('dialog')).toBeVisible();
  // Once the dialog has faded in.
  await expect(grace.locator('.MuiDialog-container')).toHaveCSS('opacity', '1');
  await grace.screenshot({ path: `${docs}/governance-checklist.png` });
  await grace
    .getByRole('dialog')
    .getByRole('button', { name: 'Cancel' })
    .click();

  // vC waits for the ML engineer, who sees it beside what test runs (vB).
  const c = await registerCentralVersion('ccc', 0.89);
  const cCards = await openVersion(mo, c.version);
  const central = cCards('Central approval');
  const comparison = central.getByRole('region', { name: 'What changed' });
  await expect(
    comparison.getByText(
      `What changed: v${c.version} compared with v${b.version}, what test runs now`,
    ),
  ).toBeVisible({ timeout: 60_000 });
  await expect(
    comparison
      .getByRole('table', { name: 'Metrics compared' })
      .getByRole('row', { name: /^auc / }),
  ).toHaveText(/0\.89.*0\.93.*-0\.04.*at least 0\.9: not met/);
  await central.scrollIntoViewIfNeeded();
  await mo.screenshot({ path: `${docs}/model-tab-approver.png` });
  // Backstage's own notifications item shows its unread count outside its name.
  await expectAccessible(mo, 'the decision card with what changed', {
    exclude: ['a[href="/notifications"]'],
  });
});
