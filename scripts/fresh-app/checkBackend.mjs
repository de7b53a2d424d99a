// What a user of the new app sees through its backend: the ML registry synced
// every account, its entities in the catalog, and a gate decision taken by the
// signed-in lead data scientist through the REST API, with the ML governance
// permission policy deciding.
import assert from 'node:assert/strict';
import { until } from './run.mjs';

const FRAUD_DEV = '222222222222';
// The entity's name: the account's name (app-config.yaml here), then the model's.
const FRAUD_DEV_MODEL = 'fraud-dev--fraud-detection';

/** Signs in as the guest (the fraud team's lead, as the test's config says) and returns fetch helpers. */
async function signIn(baseUrl) {
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  assert.equal(res.status, 200, `guest sign-in answered ${res.status}`);
  const token = (await res.json()).backstageIdentity.token;
  const call = async (route, init = {}) => {
    const answer = await fetch(`${baseUrl}${route}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
    });
    return { status: answer.status, body: await answer.json() };
  };
  return call;
}

async function checkSync(call) {
  const accounts = await until(
    'the ML registry to sync every account',
    async () => {
      const { body } = await call('/api/ml-registry/accounts');
      return body.items?.length === 6 && body.items.every(a => !a.stale)
        ? body.items
        : undefined;
    },
    120_000,
  );
  console.log(`[fresh-app] ML registry: ${accounts.length} accounts synced`);
}

/** Waits for the fraud team's model in the catalog (the other accounts' may come first) and returns it. */
async function checkCatalog(call) {
  const models = await until(
    "fraud-dev's fraud-detection ai-model resource in the catalog",
    async () => {
      const { body } = await call(
        '/api/catalog/entities/by-query?filter=kind=resource,spec.type=ai-model',
      );
      return body.items?.some(m => m.metadata.name === FRAUD_DEV_MODEL)
        ? body.items
        : undefined;
    },
    120_000,
  );
  console.log(
    `[fresh-app] catalog: ${models.length} ai-model resources (${models
      .map(m => m.metadata.name)
      .join(', ')})`,
  );
  return models.find(m => m.metadata.name === FRAUD_DEV_MODEL);
}

async function checkGateDecision(call) {
  const { body } = await call(
    `/api/ml-registry/models/${FRAUD_DEV}/fraud-detection/versions`,
  );
  const pending = body.items.find(
    v => v.approvalStatus === 'PendingManualApproval',
  );
  assert.ok(pending, 'a pending fraud-detection version in fraud-dev');
  const decided = await call('/api/ml-registry/gates/decisions', {
    method: 'POST',
    body: JSON.stringify({
      arn: pending.arn,
      gate: 'dev-approval',
      decision: 'approve',
      reason: 'fresh-app test: metrics hold on the holdout set',
    }),
  });
  assert.equal(decided.status, 200, JSON.stringify(decided.body));
  const gate = decided.body.gates.find(g => g.gate === 'dev-approval');
  assert.equal(gate.state, 'approved');
  assert.equal(gate.actor, 'user:default/leo.lead');
  console.log(`[fresh-app] gate: leo.lead approved ${pending.arn}`);
}

/** Runs the checks against a started backend; returns fraud-dev's fraud-detection entity for the browser check. */
export async function checkBackend(baseUrl) {
  const call = await signIn(baseUrl);
  await checkSync(call);
  const model = await checkCatalog(call);
  await checkGateDecision(call);
  return model;
}
