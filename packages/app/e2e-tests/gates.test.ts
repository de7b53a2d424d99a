import { expect, test } from '@playwright/test';
import { signInNewSession } from './signInAs';
import { openVersion } from './openVersion';
import { expectAccessible } from './axe';
import { reloadUntilVisible } from './reloadUntilVisible';

const screenshots = 'test-results/screenshots';
const DEV_MODEL = '/catalog/default/resource/fraud-dev--fraud-detection/model';

test('each role decides its own gate, from the dev registry to the prod endpoint', async ({
  browser,
}) => {
  // The data scientist sees the gate but may not decide it.
  const dana = await signInNewSession(browser, 'dana.scientist');
  const danasCard = (await openVersion(dana, 3, DEV_MODEL))('Dev approval');
  await expect(danasCard.getByText('Pending')).toBeVisible();
  await expect(
    danasCard.getByRole('button', { name: 'Approve' }),
  ).toBeDisabled();
  await expect(
    danasCard.getByText('You are not one of the approvers of this gate.'),
  ).toBeVisible();
  await dana.screenshot({
    path: `${screenshots}/gates-data-scientist.png`,
    fullPage: true,
  });

  // The lead data scientist approves in the dev registry.
  const leo = await signInNewSession(browser, 'leo.lead');
  const leosCard = (await openVersion(leo, 3, DEV_MODEL))('Dev approval');
  await leo.screenshot({
    path: `${screenshots}/model-tab-approver.png`,
    fullPage: true,
  });
  await leosCard.getByRole('button', { name: 'Approve' }).click();
  const dialog = leo.getByRole('dialog');
  await expect(dialog.getByRole('button', { name: 'Approve' })).toBeDisabled();
  await dialog.getByLabel(/Reason/).fill('AUC 0.93 on the holdout set');
  await leo.screenshot({ path: `${screenshots}/gates-decision-dialog.png` });
  await expectAccessible(leo, 'the decision dialog');
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expect(dialog).toBeHidden();
  await expect(leosCard.getByText('Approved', { exact: true })).toBeVisible();
  // The approver by the name the catalog knows him by, linking to his entity.
  await expect(
    leosCard.getByRole('link', { name: /Leo Okafor/ }),
  ).toHaveAttribute('href', '/catalog/default/user/leo.lead');
  await expect(
    leosCard.getByText('Why: AUC 0.93 on the holdout set'),
  ).toBeVisible();
  await expect(
    leo
      .getByRole('list', { name: 'Audit trail' })
      .getByRole('listitem')
      .filter({ hasText: /Leo Okafor approve at dev-approval: ok/ }),
  ).toBeVisible();
  await leo.screenshot({
    path: `${screenshots}/gates-lead-approved.png`,
    fullPage: true,
  });
  // Promotion follows on its own; the card updates without a reload.
  await expect(
    (
      await openVersion(leo, 3, DEV_MODEL)
    )('Promotion').getByText('Done', { exact: true }),
  ).toBeVisible({ timeout: 60_000 });

  // The ML engineer approves the promoted version in the central registry.
  const mo = await signInNewSession(browser, 'mo.engineer');
  const central = (await openVersion(mo, 3))('Central approval');
  await central.getByRole('button', { name: 'Approve' }).click();
  await mo
    .getByRole('dialog')
    .getByLabel(/Reason/)
    .fill('Promotion checks passed');
  await mo.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
  await expect(
    central.getByRole('link', { name: /Mohammed Haddad/ }),
  ).toBeVisible();

  // The governance officer reviews the checklist once the pipeline waits for her, and approves.
  const grace = await signInNewSession(browser, 'grace.governance');
  const governance = (await openVersion(grace, 3))('Governance approval');
  await expect(governance.getByText('Pending', { exact: true })).toBeVisible({
    timeout: 60_000,
  });
  await governance.getByRole('button', { name: 'Approve' }).click();
  const checklist = grace.getByRole('dialog');
  // Promotion wrote v3 into the card, which kept the earlier version's Approved status: that is no review of v3.
  await expect(
    checklist.getByText(
      'Does not hold: Model card of this version, approved since it was written',
    ),
  ).toBeVisible();
  await expect(
    checklist.getByText(/carries an earlier version's Approved status/),
  ).toBeVisible();
  await expect(
    checklist.getByText('Holds: Metric thresholds, from the evaluation report'),
  ).toBeVisible();
  await expect(checklist.getByText('auc 0.93 (at least 0.9)')).toBeVisible();
  await expect(
    checklist.getByText("For review: Containers' environment"),
  ).toBeVisible();
  await expect(
    checklist.getByText('Does not hold: Who can invoke the endpoint'),
  ).toBeVisible();
  await checklist.getByLabel('I reviewed who can invoke the endpoint').check();
  await checklist
    .getByLabel(/^Reason/)
    .fill('Card, metrics, bias and access reviewed');
  await checklist
    .getByLabel(/Override/)
    .fill(
      'Card content for v3 read line by line with the team; its approval in SageMaker follows',
    );
  await grace.screenshot({
    path: `${screenshots}/gates-governance-checklist.png`,
  });
  await expectAccessible(grace, 'the governance checklist');
  await checklist.getByRole('button', { name: 'Approve' }).click();
  const cards = await openVersion(grace, 3);
  await expect(
    cards('Governance approval').getByRole('link', { name: /Grace Mensah/ }),
  ).toBeVisible();
  await expect(
    cards('Deploy to prod').getByText('Done', { exact: true }),
  ).toBeVisible({ timeout: 60_000 });
  await expect(
    grace.getByText('prod endpoint in ml-prod: InService', { exact: true }),
  ).toBeVisible();
  await grace.screenshot({
    path: `${screenshots}/gates-in-production.png`,
    fullPage: true,
  });

  // The prod endpoint's entity page: it serves the new version, with its deploy stages.
  await reloadUntilVisible(
    grace,
    '/catalog/default/component/ml-prod--fraud-detection-prod/deployment',
    grace.getByRole('heading', { name: 'Serves fraud-detection v3' }),
    60_000,
  );
  await expect(
    grace
      .locator('.MuiCard-root', {
        has: grace.getByText('Deploy to prod', { exact: true }),
      })
      .getByText('Done', { exact: true }),
  ).toBeVisible();
  await grace.screenshot({
    path: `${screenshots}/prod-endpoint.png`,
    fullPage: true,
  });
});
