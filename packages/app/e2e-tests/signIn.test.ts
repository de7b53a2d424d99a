import { expect, test } from '@playwright/test';
import { reloadUntilVisible } from './reloadUntilVisible';

const screenshots = 'test-results/screenshots';

test('a governance officer signs in and sees the catalog with the example org', async ({
  page,
}) => {
  await page.goto('/');

  const users = page.getByRole('list', { name: 'Example users' });
  await expect(users.getByText('Governance officer')).toBeVisible();
  await expect(users.getByRole('button')).toHaveCount(5);
  await page.screenshot({ path: `${screenshots}/sign-in.png` });

  await users.getByRole('button', { name: /grace\.governance/ }).click();

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
  await expect(nav.getByRole('link', { name: 'ML Registry' })).toBeVisible();

  // The catalog lists components by default; the example org is made of groups.
  await page.goto('/?filters%5Bkind%5D=group');
  for (const group of [
    'Platform engineers',
    'Lead data scientists',
    'Data scientists',
    'ML engineers',
    'Governance officers',
    'Fraud data science',
    'Churn data science',
  ]) {
    await expect(
      page.getByRole('link', { name: group, exact: true }),
    ).toBeVisible();
  }
  await page.screenshot({
    path: `${screenshots}/catalog-groups.png`,
    fullPage: true,
  });

  await nav.getByRole('link', { name: 'ML Registry' }).click();
  const accounts = page.locator('table', {
    has: page.getByRole('columnheader', { name: 'Account id' }),
  });
  await expect(accounts.getByText('fraud-dev')).toBeVisible();
  // The backend syncs every account from the sandbox a few seconds after start.
  const fraudDev = accounts.getByRole('row', { name: /fraud-dev/ });
  await reloadUntilVisible(
    page,
    page.url(),
    fraudDev.getByText(/^Synced /),
    60_000,
  );
  await expect(
    accounts
      .getByRole('row', { name: /ml-shared-services/ })
      .getByText(/^Synced /),
  ).toBeVisible();
  // Every model of every account, with a link to its entity.
  const models = page.locator('table', {
    has: page.getByRole('columnheader', { name: 'Versions' }),
  });
  await expect(
    models.getByRole('row', { name: /churn-prediction churn-dev/ }),
  ).toBeVisible();
  await expect(
    models.getByRole('link', { name: 'fraud-detection' }),
  ).toHaveCount(2);
  await page.screenshot({
    path: `${screenshots}/ml-registry-models.png`,
    fullPage: true,
  });
  // What awaits the officer is on the page: the governance decisions of the
  // versions other tests brought there, or why nothing does.
  await expect(
    page
      .getByRole('list', { name: 'Decisions awaiting me' })
      .or(page.getByText(/^Nothing awaits your decision/)),
  ).toBeVisible();

  // The models of every account come into the catalog as ai-model resources.
  // All of them, not the catalog's first choice of those the user owns.
  await reloadUntilVisible(
    page,
    '/?filters%5Bkind%5D=resource&filters%5Btype%5D=ai-model&filters%5Buser%5D=all',
    page.getByRole('link', { name: 'fraud-detection (ml-shared-services)' }),
  );
  await expect(
    page.getByRole('link', { name: 'fraud-detection (fraud-dev)' }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'churn-prediction (churn-dev)' }),
  ).toBeVisible();
  await page.screenshot({
    path: `${screenshots}/catalog-models.png`,
    fullPage: true,
  });
  await page
    .getByRole('link', { name: 'fraud-detection (ml-shared-services)' })
    .click();
  await expect(page.getByText('fraud-ds').first()).toBeVisible();
  await page.screenshot({
    path: `${screenshots}/central-model.png`,
    fullPage: true,
  });
});
