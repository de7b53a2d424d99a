import { expect, Page } from '@playwright/test';
import { reloadUntilVisible } from './reloadUntilVisible';

/** The central fraud model's Model tab. */
export const CENTRAL_MODEL =
  '/catalog/default/resource/ml-shared-services--fraud-detection/model';

/**
 * Opens a model's Model tab (once the sync has brought the version into the
 * catalog) and picks `version`; answers its gates' cards by title.
 */
export async function openVersion(
  page: Page,
  version: number,
  model = CENTRAL_MODEL,
) {
  const row = page.getByRole('row', { name: new RegExp(`^${version} `) });
  await reloadUntilVisible(page, model, row);
  await row.click();
  await expect(
    page.getByRole('heading', { name: `Version ${version}: gates` }),
  ).toBeVisible();
  return (gate: string) =>
    page.locator('.MuiCard-root', {
      has: page.getByText(gate, { exact: true }),
    });
}
