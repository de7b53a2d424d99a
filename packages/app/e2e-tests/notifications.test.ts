import { expect, Page, test } from '@playwright/test';
import { reloadUntilVisible } from './reloadUntilVisible';
import { registerPendingVersion } from './registerPendingVersion';
import { signInNewSession } from './signInAs';

/** A model of its own, so no other test's decisions race this one's. */
const GROUP = 'notify-e2e';

test('the notification asking the lead to decide says, once decided, who decided, and asks nothing more', async ({
  browser,
}) => {
  // Alone, this test also waits for the app's first build.
  test.setTimeout(300_000);
  const version = await registerPendingVersion(GROUP);
  const modelPage = `/catalog/default/resource/fraud-dev--${GROUP}/model`;
  /** A notification's title link, and its row on the notifications page. */
  const notification = (page: Page, title: string) =>
    page.getByRole('link', { name: title, exact: true });
  const row = (page: Page, title: string) =>
    page.getByRole('row').filter({ has: notification(page, title) });
  const asked = `${GROUP} v${version} waits for dev approval`;
  const told = `${GROUP} v${version} approved by leo.lead (dev approval)`;

  // Leo, the fraud team's lead data scientist (the one lead the local sign-in lists), is asked to decide.
  const leo = await signInNewSession(browser, 'leo.lead');
  await reloadUntilVisible(leo, '/notifications', notification(leo, asked));
  await expect(
    row(leo, asked).getByText(/is pending your approval/),
  ).toBeVisible();

  // He decides on the model page.
  await reloadUntilVisible(
    leo,
    `${modelPage}?version=${version}`,
    leo.getByRole('heading', { name: `Version ${version}: gates` }),
  );
  const devCard = leo.locator('.MuiCard-root', {
    has: leo.getByText('Dev approval', { exact: true }),
  });
  await devCard.getByRole('button', { name: 'Approve' }).click();
  const dialog = leo.getByRole('dialog');
  await dialog.getByLabel(/Reason/).fill('Notifications e2e: AUC 0.94');
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expect(dialog).toBeHidden();

  // His notification is that same one, replaced: who decided what, nothing to decide, a link to the version's gates and audit trail.
  await reloadUntilVisible(leo, '/notifications', notification(leo, told));
  await expect(notification(leo, asked)).toHaveCount(0);
  // What the reader must know comes first, before the description is cut; the rest shows on "Show more".
  await expect(
    row(leo, told).getByText(/^Nothing is left for you to decide here\./),
  ).toBeVisible();
  await row(leo, told).getByRole('button', { name: 'Show more' }).click();
  await expect(
    row(leo, told).getByText(
      `was approved by leo.lead in Backstage: "Notifications e2e: AUC 0.94".`,
      { exact: false },
    ),
  ).toBeVisible();
  await expect(notification(leo, told)).toHaveAttribute(
    'href',
    new RegExp(`${modelPage}\\?version=${version}$`),
  );
  await leo.screenshot({
    path: 'test-results/playwright/notification-decided.png',
  });

  // Following it opens the version's gates, decided.
  await notification(leo, told).click();
  await expect(
    leo.getByRole('heading', { name: `Version ${version}: gates` }),
  ).toBeVisible();
  await expect(
    leo
      .locator('.MuiCard-root', {
        has: leo.getByText('Dev approval', { exact: true }),
      })
      .getByText('Approved', { exact: true }),
  ).toBeVisible();
});
