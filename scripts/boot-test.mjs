#!/usr/bin/env node
// Starts the AWS sandbox and the real backend with the local config, waits for
// the backend's readiness endpoint, fails on any plugin start-up error or
// error-level log line, and checks that the ML registry synced every account.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const READINESS = 'http://localhost:7007/.backstage/health/v1/readiness';
const START_TIMEOUT_MS = 240_000;
// Errors can come after readiness (e.g. the first catalog processing round).
const SETTLE_MS = 15_000;

// Dev-format lines are `<timestamp> <plugin> <level> <message>`.
const ERROR_LINE = /^\S+\s+\S+\s+error\b/;
// eslint-disable-next-line no-control-regex
const stripAnsi = s => s.replace(/\x1b\[[0-9;]*m/g, '');

const SANDBOX = 'http://127.0.0.1:4566';
const sleep = ms => new Promise(r => setTimeout(r, ms));

const sandbox = spawn(
  'yarn',
  [
    'workspace',
    '@ml-governance/aws-sandbox',
    'start',
    '--step-ms',
    '200',
    '--check-responses',
  ],
  {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  },
);
for (let i = 0; i < 120; i++) {
  if (
    await fetch(`${SANDBOX}/_sandbox/health`).then(
      r => r.ok,
      () => false,
    )
  )
    break;
  await sleep(500);
}

const started = Date.now();
const backend = spawn('yarn', ['workspace', 'backend', 'start'], {
  cwd: root,
  env: {
    ...process.env,
    FORCE_COLOR: '0',
    AWS_ENDPOINT_URL_STS: SANDBOX,
    AWS_ACCESS_KEY_ID: '999999999999',
    AWS_SECRET_ACCESS_KEY: 'sandbox',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: true,
});

const errors = [];
let exited;
const logLines = [];
for (const stream of [backend.stdout, backend.stderr]) {
  let buffer = '';
  stream.on('data', chunk => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop();
    for (const raw of lines) {
      const line = stripAnsi(raw);
      logLines.push(line);
      if (
        ERROR_LINE.test(line) ||
        /threw an error during startup|Backend failed to start/.test(line)
      ) {
        errors.push(line);
      }
    }
  });
}
backend.on('exit', code => {
  exited = code;
});

function stop() {
  for (const child of [backend, sandbox]) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

async function ready() {
  try {
    const res = await fetch(READINESS);
    return res.status === 200;
  } catch {
    return false;
  }
}

let token;

/** Signs in as an example user and waits until every ML account has synced. */
async function syncedAccounts() {
  const signIn = await fetch(
    'http://localhost:7007/api/auth/local-sign-in/refresh',
    {
      headers: { 'x-local-sign-in-user': 'user:default/grace.governance' },
    },
  );
  token = (await signIn.json()).backstageIdentity.token;
  const deadline = Date.now() + 60_000;
  let items = [];
  while (Date.now() < deadline) {
    const res = await fetch('http://localhost:7007/api/ml-registry/accounts', {
      headers: { authorization: `Bearer ${token}` },
    });
    items = (await res.json()).items ?? [];
    if (items.length > 0 && items.every(a => !a.stale)) return items;
    await sleep(1000);
  }
  throw new Error(
    `boot test: ML accounts not synced within 60s: ${JSON.stringify(items)}`,
  );
}

/**
 * Approves a version in the sandbox's dev registry and times how long the
 * state change takes to reach the backend's store (EventBridge -> SQS ->
 * events module -> ML registry sync; the scheduled sync is minutes away) and
 * then the model's catalog entity (change notice -> catalog provider ->
 * processing).
 */
async function eventFreshness(token) {
  const arn =
    'arn:aws:sagemaker:us-east-1:222222222222:model-package/fraud-detection/3';
  const approvedAt = Date.now();
  const res = await fetch(SANDBOX, {
    method: 'POST',
    headers: {
      authorization:
        'AWS4-HMAC-SHA256 Credential=222222222222/20261125/us-east-1/sagemaker/aws4_request, SignedHeaders=host, Signature=boot-test',
      'x-amz-target': 'SageMaker.UpdateModelPackage',
      'content-type': 'application/x-amz-json-1.1',
    },
    body: JSON.stringify({
      ModelPackageArn: arn,
      ModelApprovalStatus: 'Approved',
      ApprovalDescription: 'boot test',
    }),
  });
  if (!res.ok)
    throw new Error(
      `boot test: approving in the sandbox failed: ${await res.text()}`,
    );
  const headers = { authorization: `Bearer ${token}` };
  let storeMs;
  while (Date.now() - approvedAt < 60_000) {
    if (storeMs === undefined) {
      const page = await fetch(
        'http://localhost:7007/api/ml-registry/models/222222222222/fraud-detection/versions?status=Approved',
        { headers },
      ).then(r => r.json());
      if (page.items?.some(v => v.version === 3))
        storeMs = Date.now() - approvedAt;
    }
    const entity = await fetch(
      'http://localhost:7007/api/catalog/entities/by-name/resource/default/fraud-dev--fraud-detection',
      { headers },
    ).then(r => r.json());
    if (
      entity.metadata?.annotations?.[
        'ml-governance.io/latest-approved-version'
      ] === '3'
    ) {
      return {
        storeMs: storeMs ?? Date.now() - approvedAt,
        entityMs: Date.now() - approvedAt,
      };
    }
    await sleep(100);
  }
  throw new Error(
    `boot test: the approval did not reach ${
      storeMs === undefined ? 'the ML registry' : 'the catalog entity'
    } within 60s through events`,
  );
}

let isReady = false;
// A plugin that fails to start leaves the backend up but never ready: stop at
// the first error instead of waiting out the timeout.
while (
  Date.now() - started < START_TIMEOUT_MS &&
  exited === undefined &&
  errors.length === 0
) {
  if (await ready()) {
    isReady = true;
    break;
  }
  await sleep(1000);
}
const readyAfter = ((Date.now() - started) / 1000).toFixed(1);
let synced = [];
let freshnessMs;
let syncError;
if (isReady) {
  await sleep(SETTLE_MS);
  try {
    synced = await syncedAccounts();
    freshnessMs = await eventFreshness(token);
  } catch (e) {
    syncError = e;
  }
}
stop();
if (syncError) {
  console.error(syncError.message);
  process.exit(1);
}

if (!isReady && errors.length === 0) {
  console.error(logLines.slice(-40).join('\n'));
  console.error(
    exited === undefined
      ? `boot test: backend not ready within ${START_TIMEOUT_MS / 1000}s`
      : `boot test: backend exited with code ${exited} before it was ready`,
  );
  process.exit(1);
}
if (errors.length > 0) {
  console.error(
    `boot test: ${errors.length} error line(s) in the backend log:`,
  );
  for (const line of errors) console.error(`  ${line}`);
  process.exit(1);
}
const plugins = new Set(
  logLines.map(l => l.match(/^\S+\s+(\S+)\s+info\b/)?.[1]).filter(Boolean),
);
console.log(
  `boot test: backend ready in ${readyAfter}s, no error lines in ${
    SETTLE_MS / 1000
  }s after (${plugins.size} log sources: ${[...plugins].sort().join(', ')}); ${
    synced.length
  } ML accounts synced from the sandbox; an approval reached the store through events in ${(
    freshnessMs.storeMs / 1000
  ).toFixed(1)}s and the catalog entity in ${(
    freshnessMs.entityMs / 1000
  ).toFixed(1)}s`,
);
