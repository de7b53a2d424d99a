import { APIRequestContext, expect, test } from '@playwright/test';
import { reloadUntilVisible } from './reloadUntilVisible';
import { signInNewSession } from './signInAs';

const screenshots = 'test-results/screenshots';
const BACKEND = 'http://localhost:7007';

/** The user's Backstage token, from the local sign-in provider, to call the API as they would. */
async function tokenOf(
  request: APIRequestContext,
  user: string,
): Promise<string> {
  const response = await request.get(
    `${BACKEND}/api/auth/local-sign-in/refresh`,
    {
      headers: { 'x-local-sign-in-user': `user:default/${user}` },
    },
  );
  return (await response.json()).backstageIdentity.token;
}

const domainValues = {
  account: 'fraud-dev',
  name: 'fraud-studio-e2e',
  owner: 'group:default/fraud-ds',
  vpcId: 'vpc-0a1b2c3d',
  subnetIds: ['subnet-0a1b2c3d'],
};
const runTemplate = (
  request: APIRequestContext,
  token: string,
  template: string,
  values: object,
) =>
  request.post(`${BACKEND}/api/scaffolder/v2/tasks`, {
    headers: { authorization: `Bearer ${token}` },
    data: { templateRef: `template:default/${template}`, values },
  });

test('a data scientist sees the experiment templates only and runs one on the Athena data lake to its first model version', async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  const dana = await signInNewSession(browser, 'dana.scientist');
  await dana
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Create' })
    .click();
  await expect(
    dana.getByText('Experiment on the Athena data lake'),
  ).toBeVisible();
  await expect(
    dana.getByText('Experiment on S3 data', { exact: false }).first(),
  ).toBeVisible();
  // The ML Admin and deployment templates are not there for her.
  for (const title of [
    'SageMaker Studio domain',
    'ML Dev account',
    'Deploy a real-time endpoint',
  ]) {
    await expect(dana.getByText(title, { exact: false })).toHaveCount(0);
  }
  await dana.screenshot({
    path: `${screenshots}/create-data-scientist.png`,
    fullPage: true,
  });

  // Through the API the domain template does not exist for her.
  const refused = await runTemplate(
    request,
    await tokenOf(request, 'dana.scientist'),
    'sagemaker-domain',
    domainValues,
  );
  expect(refused.status()).toBe(404);
  expect((await refused.json()).error.message).toContain('sagemaker-domain');

  // She creates an experiment project on the Athena data lake from the Create page.
  const card = dana.locator('.MuiCard-root', {
    hasText: 'Experiment on the Athena data lake',
  });
  await card.getByRole('button', { name: 'Choose' }).click();
  await dana.getByLabel('Dev account').click();
  await dana.getByRole('option', { name: /fraud-dev/ }).click();
  await dana.getByLabel('Project name').fill('fraud-lake');
  await dana.getByLabel('Owning team').fill('Fraud');
  await dana.getByRole('option', { name: /Fraud data science/ }).click();
  await dana.getByRole('button', { name: 'Next' }).click();
  await dana.getByLabel('Glue database').fill('transactions_lake');
  await dana.getByLabel('Table').fill('card_transactions');
  await dana.getByRole('button', { name: 'Review' }).click();
  await dana.screenshot({
    path: `${screenshots}/create-athena-review.png`,
    fullPage: true,
  });
  await dana.getByRole('button', { name: 'Create' }).click();

  // The task runs; its output links to the model, where the first run's version appears.
  const modelLink = dana.getByRole('link', {
    name: 'Its model, where each trained version appears',
  });
  await expect(modelLink).toBeVisible({ timeout: 60_000 });
  await dana.screenshot({
    path: `${screenshots}/create-athena-done.png`,
    fullPage: true,
  });
  await reloadUntilVisible(
    dana,
    '/catalog/default/resource/fraud-dev--fraud-lake/model',
    dana.getByRole('row', { name: /^1 / }),
  );
  await dana.screenshot({
    path: `${screenshots}/create-athena-first-version.png`,
    fullPage: true,
  });
});

test('a lead data scientist sees the SageMaker domain template and runs it', async ({
  browser,
  request,
}) => {
  const leo = await signInNewSession(browser, 'leo.lead');
  await leo.goto('/create');
  for (const title of [
    'SageMaker Studio domain',
    'ML Dev account',
    'Experiment on the Athena data lake',
  ]) {
    await expect(
      leo.locator('.MuiCard-root', { hasText: title }),
    ).toBeVisible();
  }
  await leo.screenshot({
    path: `${screenshots}/create-lead.png`,
    fullPage: true,
  });

  const token = await tokenOf(request, 'leo.lead');
  const created = await runTemplate(
    request,
    token,
    'sagemaker-domain',
    domainValues,
  );
  expect(created.status()).toBe(201);
  const { id } = await created.json();
  await expect(async () => {
    const task = await (
      await request.get(`${BACKEND}/api/scaffolder/v2/tasks/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json();
    expect(task.status).toBe('completed');
  }).toPass({ timeout: 60_000 });
});
