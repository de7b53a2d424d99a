import { expect, test } from '@playwright/test';
import {
  CreateModelPackageCommand,
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { openVersion } from './openVersion';
import { signInNewSession } from './signInAs';
import { reloadUntilVisible } from './reloadUntilVisible';

const screenshots = 'test-results/screenshots';
const SANDBOX = 'http://127.0.0.1:4566';
const SHARED = '111111111111';

/** Sets the sandbox's faults (an empty list clears them). */
async function setFaults(faults: object[]) {
  const response = await fetch(`${SANDBOX}/_sandbox/faults`, {
    method: 'PUT',
    body: JSON.stringify(faults),
  });
  expect(response.status).toBe(200);
}

// Runs after gates.test.ts (file order), whose promotion makes central version 3: this version comes after it.
test('a failed deploy shows on its card with what AWS reports, and the ML engineer retries it from there', async ({
  browser,
}) => {
  const sagemaker = new SageMakerClient({
    endpoint: SANDBOX,
    region: 'us-east-1',
    credentials: { accessKeyId: SHARED, secretAccessKey: 'sandbox' },
  });
  const { ModelPackageArn: arn } = await sagemaker.send(
    new CreateModelPackageCommand({
      ModelPackageGroupName: 'fraud-detection',
      ModelApprovalStatus: 'PendingManualApproval',
      // A central version as promotion makes it (its source named), of a dev version no other test walks through the gates.
      CustomerMetadataProperties: {
        'source-model-package-arn':
          'arn:aws:sagemaker:us-east-1:222222222222:model-package/fraud-detection/99',
        auc: '0.95',
      },
      InferenceSpecification: {
        Containers: [
          {
            Image:
              '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
            ModelDataUrl: `s3://ml-shared-artifacts-${SHARED}/fraud-detection/retry/model.tar.gz`,
          },
        ],
        SupportedContentTypes: ['text/csv'],
        SupportedResponseMIMETypes: ['text/csv'],
      },
    }),
  );
  const version = Number(arn!.split('/').pop());
  try {
    // The pipeline's build cannot read the registry: the run the console approval starts fails at its Build stage.
    await setFaults([
      { account: SHARED, operation: 'ListModelPackages', accessDenied: true },
    ]);
    await sagemaker.send(
      new UpdateModelPackageCommand({
        ModelPackageArn: arn,
        ModelApprovalStatus: 'Approved',
      }),
    );

    // A data scientist sees the failure and what to check, but may not retry.
    const dana = await signInNewSession(browser, 'dana.scientist');
    const danasCard = (await openVersion(dana, version))('Deploy to test');
    await expect(danasCard.getByText('Failed', { exact: true })).toBeVisible({
      timeout: 90_000,
    });
    await expect(danasCard.getByText(/^Build \/ \S+: Failed$/)).toBeVisible();
    await expect(
      danasCard.getByText(
        /^Error \(JobFailed\): Build terminated with state: FAILED/,
      ),
    ).toBeVisible();
    await expect(
      danasCard.getByText(/^Check: Build\/\S+ failed/),
    ).toBeVisible();
    await expect(
      danasCard.getByRole('link', { name: /in the AWS console/ }),
    ).toHaveAttribute(
      'href',
      /console\.aws\.amazon\.com\/codesuite\/codepipeline\/pipelines\/fraud-detection-deploy\/executions\//,
    );
    await expect(
      danasCard.getByRole('button', { name: 'Retry failed actions' }),
    ).toBeDisabled();
    await expect(
      danasCard.getByText(
        'Only approvers of the central gate (ML engineers) may retry.',
      ),
    ).toBeVisible();
    await setFaults([]);

    // The ML engineer retries the failed actions; the run goes on to the governance gate.
    const mo = await signInNewSession(browser, 'mo.engineer');
    const cards = await openVersion(mo, version);
    await mo.screenshot({
      path: `${screenshots}/gates-deploy-failed.png`,
      fullPage: true,
    });
    await cards('Deploy to test')
      .getByRole('button', { name: 'Retry failed actions' })
      .click();
    await expect(
      mo
        .getByRole('list', { name: 'Audit trail' })
        .getByRole('listitem')
        .filter({ hasText: /Mohammed Haddad retry at test-deploy: ok/ }),
    ).toBeVisible();
    await expect(
      cards('Governance approval').getByText('Pending', { exact: true }),
    ).toBeVisible({ timeout: 90_000 });
    await expect(
      cards('Deploy to test').getByRole('button', {
        name: 'Retry failed actions',
      }),
    ).toBeHidden();
  } finally {
    await setFaults([]);
  }
});
