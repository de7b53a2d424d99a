import { Browser, expect, Page, test } from '@playwright/test';

const screenshots = 'test-results/screenshots';
const MODEL = '/catalog/default/resource/fraud-dev--fraud-detection/model';

/** A fresh browser session signed in as one of the example users. */
async function signIn(browser: Browser, user: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/');
  await page.getByRole('list', { name: 'Example users' }).getByRole('button', { name: new RegExp(user.replace('.', '\\.')) }).click();
  await expect(page.getByRole('navigation', { name: 'sidebar nav' }).getByRole('link', { name: 'Catalog', exact: true })).toBeVisible();
  return page;
}

/** Opens the fraud model's Model tab (once the sync has brought it into the catalog) and picks v3. */
async function openVersion3(page: Page) {
  await expect(async () => {
    await page.goto(MODEL);
    await expect(page.getByRole('heading', { name: 'Versions of fraud-detection' })).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 90_000 });
  await page.getByRole('row', { name: /^3 / }).click();
  await expect(page.getByRole('heading', { name: 'Version 3: gates' })).toBeVisible();
  return page.locator('.MuiCard-root', { hasText: 'Dev approval' });
}

test('only a lead data scientist may approve in the dev registry, and the decision shows at once', async ({ browser }) => {
  const dana = await signIn(browser, 'dana.scientist');
  const danasCard = await openVersion3(dana);
  await expect(danasCard.getByText('Pending')).toBeVisible();
  await expect(danasCard.getByRole('button', { name: 'Approve' })).toBeDisabled();
  await expect(danasCard.getByText('You are not one of the approvers of this gate.')).toBeVisible();
  await dana.screenshot({ path: `${screenshots}/gates-data-scientist.png`, fullPage: true });

  const leo = await signIn(browser, 'leo.lead');
  const leosCard = await openVersion3(leo);
  await leosCard.getByRole('button', { name: 'Approve' }).click();
  const dialog = leo.getByRole('dialog');
  await expect(dialog.getByRole('button', { name: 'Approve' })).toBeDisabled();
  await dialog.getByLabel(/Reason/).fill('AUC 0.93 on the holdout set');
  await leo.screenshot({ path: `${screenshots}/gates-decision-dialog.png` });
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expect(dialog).toBeHidden();
  await expect(leosCard.getByText('Approved', { exact: true })).toBeVisible();
  await expect(leosCard.getByText('By user:default/leo.lead')).toBeVisible();
  await expect(leosCard.getByText('Why: AUC 0.93 on the holdout set')).toBeVisible();
  await expect(leo.getByText('user:default/leo.lead approve at dev-approval: ok')).toBeVisible();
  await leo.screenshot({ path: `${screenshots}/gates-lead-approved.png`, fullPage: true });
});
