import { Browser, expect, Page, test } from '@playwright/test';
import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { reloadUntilVisible } from './reloadUntilVisible';
import { signInAs } from './signInAs';

const FRAUD_DEV = '222222222222';
/** A model of its own, so no other test's decisions race this one's. */
const GROUP = 'signals-e2e';

async function signIn(browser: Browser, user: string): Promise<Page> {
  return signInAs(await (await browser.newContext()).newPage(), user);
}

/** Registers a pending version in a new group of the fraud team's dev registry; answers its version. */
async function registerVersion(): Promise<number> {
  const sagemaker = new SageMakerClient({
    endpoint: 'http://127.0.0.1:4566',
    region: 'us-east-1',
    credentials: { accessKeyId: FRAUD_DEV, secretAccessKey: 'sandbox' },
  });
  await sagemaker
    .send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: GROUP }))
    .catch(e => {
      if (!/exist/i.test(e.message)) throw e;
    });
  const { ModelPackageArn } = await sagemaker.send(
    new CreateModelPackageCommand({
      ModelPackageGroupName: GROUP,
      ModelApprovalStatus: 'PendingManualApproval',
      CustomerMetadataProperties: { auc: '0.94' },
    }),
  );
  return Number(ModelPackageArn!.split('/').pop());
}

test('an approval in one browser shows in another on the same model within 2 s, without a reload', async ({
  browser,
}) => {
  const version = await registerVersion();
  const url = `/catalog/default/resource/fraud-dev--${GROUP}/model?version=${version}`;
  const heading = (page: Page) =>
    page.getByRole('heading', { name: `Version ${version}: gates` });
  const devCard = (page: Page) =>
    page.locator('.MuiCard-root', {
      has: page.getByText('Dev approval', { exact: true }),
    });

  // A data scientist of the team watches the version; the team's lead decides it.
  const dana = await signIn(browser, 'dana.scientist');
  await reloadUntilVisible(dana, url, heading(dana));
  await expect(
    devCard(dana).getByText('Pending', { exact: true }),
  ).toBeVisible();
  const leo = await signIn(browser, 'leo.lead');
  await reloadUntilVisible(leo, url, heading(leo));

  await devCard(leo).getByRole('button', { name: 'Approve' }).click();
  const dialog = leo.getByRole('dialog');
  await dialog.getByLabel(/Reason/).fill('Signals e2e: AUC 0.94');
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expect(dialog).toBeHidden();
  const decided = Date.now();

  // Dana's page follows by the backend's signal: the gate card and the versions table.
  await expect(
    devCard(dana).getByText('Approved', { exact: true }),
  ).toBeVisible({ timeout: 2_000 });
  await expect(
    dana.getByRole('row', { name: new RegExp(`^${version} Approved`) }),
  ).toBeVisible({ timeout: Math.max(100, 2_000 - (Date.now() - decided)) });
  process.stdout.write(
    `Approval seen in the other browser after ${Date.now() - decided} ms\n`,
  );
});
