import { expect, Page, test } from '@playwright/test';
import { reloadUntilVisible } from './reloadUntilVisible';
import { registerPendingVersion } from './registerPendingVersion';
import { signInNewSession } from './signInAs';

/** A model of its own, so no other test's decisions race this one's. */
const GROUP = 'signals-e2e';

test('an approval in one browser shows in another on the same model within 2 s, without a reload', async ({
  browser,
}) => {
  const version = await registerPendingVersion(GROUP);
  const url = `/catalog/default/resource/fraud-dev--${GROUP}/model?version=${version}`;
  const heading = (page: Page) =>
    page.getByRole('heading', { name: `Version ${version}: gates` });
  const devCard = (page: Page) =>
    page.locator('.MuiCard-root', {
      has: page.getByText('Dev approval', { exact: true }),
    });

  // A data scientist of the team watches the version; the team's lead decides it.
  const dana = await signInNewSession(browser, 'dana.scientist');
  await reloadUntilVisible(dana, url, heading(dana));
  await expect(
    devCard(dana).getByText('Pending', { exact: true }),
  ).toBeVisible();
  const leo = await signInNewSession(browser, 'leo.lead');
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
