// The new app's frontend in Chromium, served by its backend: the guest signs
// in, the ML Registry page lists the synced models, and an ai-model entity's
// Model tab lists its versions.
import { createRequire } from 'node:module';
import path from 'node:path';

/** Opens the app at `baseUrl` in headless Chromium and checks the page and the tab; `model` is the fraud-detection ai-model entity. */
export async function checkFrontend({ root, baseUrl, model }) {
  const { chromium } = createRequire(path.join(root, 'package.json'))(
    'playwright-core',
  );
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
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
      '[fresh-app] browser: the ML Registry page lists fraud-detection',
    );

    const { namespace = 'default', name } = model.metadata;
    await page.goto(`${baseUrl}/catalog/${namespace}/resource/${name}/model`);
    await page
      .getByText('Versions of fraud-detection')
      .first()
      .waitFor({ timeout: 60_000 });
    console.log(
      `[fresh-app] browser: the Model tab of ${name} lists its versions`,
    );
  } finally {
    await browser.close();
  }
}
