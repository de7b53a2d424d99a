// The new app's frontends in Chromium, each served by a backend of its own
// (the new frontend system's `app`, the legacy one's `app-legacy`): the guest
// signs in, the ML Registry page lists the synced models, and an ai-model
// entity's Model tab lists its versions.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// Debian's Chromium with the browser tests' flags (playwright.config.ts reads the same file).
const chromiumLaunch = JSON.parse(
  fs.readFileSync(new URL('../lib/chromium.json', import.meta.url), 'utf8'),
);

/**
 * Opens the app at `baseUrl` in headless Chromium and checks the page and the
 * tab, signed in as the guest (both apps' sign-in pages offer its Enter);
 * `model` is the fraud-detection ai-model entity.
 */
export async function checkFrontend({ root, system, baseUrl, model }) {
  const { chromium } = createRequire(path.join(root, 'package.json'))(
    'playwright-core',
  );
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? chromiumLaunch.executablePath,
    args: chromiumLaunch.args,
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/ml-registry`);
    await page.getByRole('button', { name: 'Enter' }).click();
    await page
      .getByText('fraud-detection', { exact: true })
      .first()
      .waitFor({ timeout: 60_000 });
    console.log(
      `[fresh-app] browser (${system}): the ML Registry page lists fraud-detection`,
    );

    const { namespace = 'default', name } = model.metadata;
    await page.goto(`${baseUrl}/catalog/${namespace}/resource/${name}/model`);
    await page
      .getByText('Versions of fraud-detection')
      .first()
      .waitFor({ timeout: 60_000 });
    console.log(
      `[fresh-app] browser (${system}): the Model tab of ${name} lists its versions`,
    );
  } catch (e) {
    throw new Error(`${system}: ${e.message}`);
  } finally {
    await browser.close();
  }
}
