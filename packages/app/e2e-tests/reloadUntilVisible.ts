import { expect, Locator, Page } from '@playwright/test';

/**
 * Opens `url` again and again until `locator` shows there, for what the
 * backend brings in on its own time (a sync, an event). Each try waits long
 * enough for a loaded two-core machine to render the page: with a shorter
 * wait every try can end before the page is drawn, and the loop never passes.
 */
export async function reloadUntilVisible(
  page: Page,
  url: string,
  locator: Locator,
  timeoutMs = 90_000,
): Promise<void> {
  await expect(async () => {
    await page.goto(url);
    await expect(locator).toBeVisible({ timeout: 15_000 });
  }).toPass({ timeout: timeoutMs, intervals: [1_000] });
}
