import { expect, test } from '@playwright/test';
import { signInAs } from './signInAs';
import { reloadUntilVisible } from './reloadUntilVisible';

// After gates.test.ts, whose version the prod endpoint then serves, with its
// whole lineage (later tests deploy versions registered without one).
test('the lineage of the version in production links to its entities and works by keyboard', async ({
  page,
}) => {
  await signInAs(page, 'grace.governance');
  const graph = page.getByRole('figure', { name: 'Lineage graph' });
  await reloadUntilVisible(
    page,
    '/catalog/default/component/ml-prod--fraud-detection-prod/deployment',
    graph,
  );
  for (const kind of [
    'Training data',
    'Pipeline run',
    'Dev package',
    'Central package',
    'Endpoint',
  ]) {
    await expect(graph.getByText(kind, { exact: true }).first()).toBeVisible();
  }
  await page.screenshot({
    path: 'test-results/screenshots/lineage.png',
    fullPage: true,
  });
  await graph
    .getByRole('link', {
      name: /^Dev package fraud-detection v\d+ in the catalog$/,
    })
    .focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(
    /\/catalog\/default\/resource\/fraud-dev--fraud-detection/,
  );
  await expect(
    page.getByText('fraud-detection (fraud-dev)').first(),
  ).toBeVisible();
});
