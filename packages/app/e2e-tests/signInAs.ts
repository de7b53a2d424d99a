import { Browser, BrowserContextOptions, expect, Page } from '@playwright/test';

/** Signs `page` in as one of the example users, with the local pick-a-user sign-in. */
export async function signInAs(page: Page, user: string): Promise<Page> {
  await page.goto('/');
  await page
    .getByRole('list', { name: 'Example users' })
    .getByRole('button', { name: new RegExp(user.replace('.', '\\.')) })
    .click();
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
  return page;
}

/** A fresh browser session (its context made with `options`) signed in as one of the example users. */
export async function signInNewSession(
  browser: Browser,
  user: string,
  options?: BrowserContextOptions,
): Promise<Page> {
  return signInAs(await (await browser.newContext(options)).newPage(), user);
}
