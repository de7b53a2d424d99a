import { expect, test } from '@playwright/test';
import { signInAs } from './signInAs';
import { reloadUntilVisible } from './reloadUntilVisible';

const screenshots = 'test-results/screenshots';
const SANDBOX = 'http://127.0.0.1:4566';
const SHARED_SERVICES = '111111111111';
// churn-prediction v1 waits at the governance approval in the default scenario: its gates view keeps reading the pipeline.
const CENTRAL_CHURN =
  '/catalog/default/resource/ml-shared-services--churn-prediction/model';

/**
 * The shared services account goes down: the model page keeps the
 * gates it last read under a banner naming the account and since when, never
 * an error page, and drops the banner once the account answers again.
 */
test('an unreachable account is a banner over the last known state, never an error page', async ({
  browser,
  request,
}) => {
  const page = await signInAs(
    await (await browser.newContext()).newPage(),
    'grace.governance',
  );
  await reloadUntilVisible(
    page,
    CENTRAL_CHURN,
    page.getByRole('row', { name: /^1 / }),
  );
  await page.getByRole('row', { name: /^1 / }).click();
  await expect(
    page.getByRole('heading', { name: 'Version 1: gates' }),
  ).toBeVisible();
  const governance = page.locator('.MuiCard-root', {
    has: page.getByText('Governance approval', { exact: true }),
  });
  await expect(governance.getByText('Pending', { exact: true })).toBeVisible({
    timeout: 60_000,
  });

  const banner = page.getByText(
    /AWS account ml-shared-services \(111111111111\) cannot be reached: showing its state as last read/,
  );
  try {
    expect(
      (
        await request.put(`${SANDBOX}/_sandbox/faults`, {
          data: [{ account: SHARED_SERVICES, down: true }],
        })
      ).ok(),
    ).toBe(true);
    // The pending gate re-reads every few seconds: the banner comes without a reload, and stays after one.
    await expect(banner).toBeVisible({ timeout: 60_000 });
    await page.reload();
    await page.getByRole('row', { name: /^1 / }).click();
    await expect(banner).toBeVisible({ timeout: 60_000 });
    await expect(
      governance.getByText('Pending', { exact: true }),
    ).toBeVisible();
    await expect(page.getByText('Could not load the gates')).toBeHidden();
    await page.screenshot({
      path: `${screenshots}/unreachable-account-banner.png`,
      fullPage: true,
    });
  } finally {
    await request.put(`${SANDBOX}/_sandbox/faults`, { data: [] });
  }
  await expect(banner).toBeHidden({ timeout: 60_000 });
});
