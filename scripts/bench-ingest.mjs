#!/usr/bin/env node
// bench:ingest — how fast and how cheaply the ML registry backend ingests a
// large platform. Starts the AWS sandbox seeded with ACCOUNTS x GROUPS x
// VERSIONS (each account answering with added latency and throttling above a
// rate), then the ml-registry backend alone (plugins/ml-registry-backend/dev)
// on PostgreSQL or SQLite, and measures:
//   - the first full sync and an unchanged re-sync: wall time, AWS calls;
//   - the first sync against its lower bound: the calls pagination alone needs
//     (ceil(groups/100) + ceil(versions/100) + one page of projects and one of
//     domains per account, plus one AssumeRole),
//     at the allowed rate, all accounts in parallel;
//   - the calls describing every version one at a time would take;
//   - the backend's peak RSS (VmHWM);
//   - then, with every version stored, 50 clients listing models' versions.
// Usage: yarn bench:ingest [--accounts 200] [--groups 100] [--versions 10]
//          [--latency 20] [--rate 2] [--concurrency 200] [--db pg|sqlite]
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import autocannon from 'autocannon';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '200' },
    groups: { type: 'string', default: '100' },
    versions: { type: 'string', default: '10' },
    latency: { type: 'string', default: '20' },
    rate: { type: 'string', default: '2' },
    concurrency: { type: 'string' },
    db: { type: 'string', default: 'pg' },
  },
});
const A = Number(values.accounts);
const G = Number(values.groups);
const V = Number(values.versions);
const LATENCY = Number(values.latency);
const RATE = Number(values.rate);
const CONCURRENCY = Number(values.concurrency ?? A);
const PORT = 4599;
const BACKEND_PORT = 7099;
const SANDBOX = `http://127.0.0.1:${PORT}`;
const BACKEND = `http://127.0.0.1:${BACKEND_PORT}/api/ml-registry`;
const FIRST_ID = 700000000000;
const sleep = ms => new Promise(r => setTimeout(r, ms));
const children = [];

function start(args, env = {}, command = 'yarn', cwd = root) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.log = [];
  for (const s of [child.stdout, child.stderr])
    s.on('data', d => child.log.push(d.toString()));
  children.push(child);
  return child;
}

function stopAll() {
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // gone already
    }
  }
}
process.on('exit', stopAll);
process.on('SIGINT', () => process.exit(130));
const failed = e => {
  for (const child of children)
    console.error(child.log.join('').split('\n').slice(-40).join('\n'));
  console.error(e);
  process.exit(1);
};
process.on('unhandledRejection', failed);
process.on('uncaughtException', failed);

async function waitFor(what, check, timeoutMs, child) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    if (child?.exitCode !== null && child?.exitCode !== undefined) break;
    await sleep(250);
  }
  console.error(
    child ? child.log.join('').split('\n').slice(-30).join('\n') : '',
  );
  throw new Error(
    `bench:ingest: ${what} not ready within ${timeoutMs / 1000}s`,
  );
}

/** Peak RSS of the biggest process in a process group, in MiB. */
function peakRssMiB(pgid) {
  const pids = execFileSync('ps', ['-o', 'pid=', '-g', String(pgid)])
    .toString()
    .trim()
    .split(/\s+/);
  let peak = 0;
  for (const pid of pids) {
    try {
      const hwm = fs
        .readFileSync(`/proc/${pid}/status`, 'utf8')
        .match(/VmHWM:\s+(\d+) kB/);
      if (hwm) peak = Math.max(peak, Number(hwm[1]) / 1024);
    } catch {
      // exited
    }
  }
  return peak;
}

/** CPU seconds (user + system) used so far by a process group. */
function cpuSeconds(pgid) {
  const ticks = 100; // USER_HZ on Linux
  const pids = execFileSync('ps', ['-o', 'pid=', '-g', String(pgid)])
    .toString()
    .trim()
    .split(/\s+/);
  let total = 0;
  for (const pid of pids) {
    try {
      const fields = fs
        .readFileSync(`/proc/${pid}/stat`, 'utf8')
        .replace(/^.*\) /, '')
        .split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / ticks;
    } catch {
      // exited
    }
  }
  return total;
}

const totalCalls = counters =>
  Object.values(counters).reduce(
    (n, byAccount) => n + Object.values(byAccount).reduce((a, b) => a + b, 0),
    0,
  );
const json = (url, init) => fetch(url, init).then(r => r.json());

for (const port of [PORT, BACKEND_PORT]) {
  if (
    await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    )
  ) {
    throw new Error(
      `bench:ingest: port ${port} is in use; stop what listens there (a previous run?) and retry`,
    );
  }
}

// 1. The sandbox, seeded, with latency on every call and a rate per account.
const seededAt = Date.now();
const sandbox = start([
  'workspace',
  '@ml-governance/aws-sandbox',
  'start',
  '--port',
  String(PORT),
  '--step-ms',
  '1000',
  '--scale',
  `${A},${G},${V}`,
]);
await waitFor(
  'the sandbox',
  () => fetch(`${SANDBOX}/_sandbox/health`).then(r => r.ok),
  600_000,
  sandbox,
);
const seedSeconds = (Date.now() - seededAt) / 1000;
await fetch(`${SANDBOX}/_sandbox/faults`, {
  method: 'PUT',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify([
    { latencyMs: LATENCY },
    // A token bucket per account, as AWS throttles.
    { service: 'sagemaker', throttlePerSecond: RATE },
  ]),
});

// 2. The ml-registry backend alone, syncing only when told.
const dbName = `ml_bench_${Date.now()}`;
const configFile = path.join(os.tmpdir(), `${dbName}.yaml`);
const accounts = Array.from({ length: A }, (_, i) => ({
  accountId: String(FIRST_ID + i),
  stage: 'dev',
  name: `scale-dev-${i}`,
}));
fs.writeFileSync(
  configFile,
  JSON.stringify({
    backend: {
      baseUrl: `http://127.0.0.1:${BACKEND_PORT}`,
      listen: { port: BACKEND_PORT },
      auth: { dangerouslyDisableDefaultAuthPolicy: true },
      database:
        values.db === 'pg'
          ? {
              client: 'pg',
              connection: { host: '127.0.0.1', port: 5432, user: 'postgres' },
              prefix: `${dbName}_`,
            }
          : { client: 'better-sqlite3', connection: ':memory:' },
    },
    mlRegistry: {
      endpoint: SANDBOX,
      // The client keeps just under the rate the accounts allow: paced at exactly the
      // limit, network jitter alone would get every other call throttled.
      requestsPerSecond: RATE * 0.95,
      concurrency: CONCURRENCY,
      schedule: {
        frequency: { hours: 24 },
        timeout: { hours: 1 },
        initialDelay: { seconds: 1 },
      },
      accounts,
    },
    aws: {
      mainAccount: { accessKeyId: '999999999999', secretAccessKey: 'x' },
      accountDefaults: { roleName: 'backstage-ml' },
    },
  }),
);
// Counted from here: the first sync starts on its own.
await fetch(`${SANDBOX}/_sandbox/counters`, { method: 'DELETE' });
// Run as `backstage-cli package start` runs it (transpiled on load) but without its file
// watcher: other work in the tree must not restart the backend mid-run.
const pluginDir = path.join(root, 'plugins/ml-registry-backend');
const backend = start(
  [
    '--enable-source-maps',
    '--require',
    createRequire(path.join(pluginDir, 'package.json')).resolve(
      '@backstage/cli-node/config/nodeTransform.cjs',
    ),
    'dev/index.ts',
    '--config',
    configFile,
  ],
  {
    NODE_ENV: 'development',
    AWS_ENDPOINT_URL_STS: SANDBOX,
    NODE_OPTIONS: `--max-old-space-size=4096 ${
      process.env.BENCH_NODE_OPTIONS ?? ''
    }`,
  },
  process.execPath,
  pluginDir,
);
await waitFor(
  'the backend',
  () =>
    fetch(
      `http://127.0.0.1:${BACKEND_PORT}/.backstage/health/v1/readiness`,
    ).then(r => r.ok),
  240_000,
  backend,
);

const TASKS = `${BACKEND}/.backstage/scheduler/v1/tasks`;
const taskState = async () =>
  (await json(TASKS)).tasks.find(t => t.taskId === 'ml-registry-sync')
    ?.taskState;

/**
 * Waits for a run of the sync task (the first starts on its own a second after
 * start-up; later ones are triggered) and times it with the scheduler's own
 * start and end times.
 */
async function syncRun(trigger) {
  if (trigger)
    await fetch(`${SANDBOX}/_sandbox/counters`, { method: 'DELETE' });
  const cpuBefore = {
    sandbox: cpuSeconds(sandbox.pid),
    backend: cpuSeconds(backend.pid),
  };
  const before = (await taskState())?.lastRunEndedAt;
  if (trigger) {
    const res = await fetch(`${TASKS}/ml-registry-sync/trigger`, {
      method: 'POST',
    });
    if (!res.ok)
      throw new Error(
        `bench:ingest: triggering the sync failed: ${
          res.status
        } ${await res.text()}`,
      );
  }
  let startedAt;
  for (;;) {
    const state = await taskState();
    if (state?.status === 'running') startedAt ??= state.startedAt;
    if (
      state?.status === 'idle' &&
      state.lastRunEndedAt &&
      state.lastRunEndedAt !== before &&
      startedAt
    ) {
      if (state.lastRunError)
        throw new Error(`bench:ingest: the sync failed: ${state.lastRunError}`);
      const items = (await json(`${BACKEND}/accounts`)).items;
      return {
        seconds:
          (Date.parse(state.lastRunEndedAt) - Date.parse(startedAt)) / 1000,
        failed: items.filter(a => a.lastError).length,
        cpuSeconds: {
          sandbox: Number(
            (cpuSeconds(sandbox.pid) - cpuBefore.sandbox).toFixed(1),
          ),
          backend: Number(
            (cpuSeconds(backend.pid) - cpuBefore.backend).toFixed(1),
          ),
        },
        counters: await json(`${SANDBOX}/_sandbox/counters`),
      };
    }
    if (backend.exitCode !== null)
      throw new Error(
        `bench:ingest: the backend exited:\n${backend.log
          .join('')
          .slice(-3000)}`,
      );
    await sleep(50);
  }
}

const first = await syncRun(false);
const models = (await json(`${BACKEND}/models`)).items;
const versionsStored = models.reduce((n, m) => n + m.versions, 0);
const again = await syncRun(true);
const api = await apiLoad();
const peak = peakRssMiB(backend.pid);

// Groups and versions pages, plus one page each of projects and domains (dev accounts).
/**
 * 50 clients listing random models' versions (random sort and order) for 15
 * seconds, with every version stored; latency percentiles from every response.
 */
async function apiLoad() {
  const times = [];
  const sorts = ['version', 'createdAt', 'lastModifiedAt'];
  const randomPath = () => {
    const a = Math.floor(Math.random() * A);
    const g = Math.floor(Math.random() * G);
    const sort = sorts[Math.floor(Math.random() * sorts.length)];
    return `/api/ml-registry/models/${
      FIRST_ID + a
    }/model-${a}-${g}/versions?limit=50&sort=${sort}&order=${
      Math.random() < 0.5 ? 'asc' : 'desc'
    }`;
  };
  const instance = autocannon({
    url: `http://127.0.0.1:${BACKEND_PORT}`,
    connections: 50,
    duration: 15,
    requests: [{ setupRequest: req => ({ ...req, path: randomPath() }) }],
  });
  instance.on('response', (_client, status, _bytes, ms) =>
    times.push(status === 200 ? ms : Infinity),
  );
  const result = await instance;
  times.sort((x, y) => x - y);
  const at = q =>
    Number(
      times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(
        1,
      ),
    );
  return {
    requests: times.length,
    non2xx: result.non2xx,
    errors: result.errors,
    requestsPerSecond: Math.round(result.requests.average),
    latencyMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) },
  };
}

const pageCalls = Math.ceil(G / 100) + Math.ceil((G * V) / 100) + 2;
// Per account: AssumeRole at once, then its paginated calls at RATE a second.
const lowerBound = (pageCalls - 1) / RATE + ((pageCalls + 1) * LATENCY) / 1000;
const firstCalls = totalCalls(first.counters);
const naive = A * (Math.ceil(G / 100) + G * (1 + Math.ceil(V / 100)) + G * V);
const report = {
  setup: `${A} accounts x ${G} groups x ${V} versions (${
    A * G * V
  } versions), ${LATENCY} ms added latency a call, throttled above ${RATE} SageMaker calls/s per account, concurrency ${CONCURRENCY}, ${
    values.db === 'pg' ? 'PostgreSQL' : 'SQLite'
  }`,
  sandboxSeedSeconds: Number(seedSeconds.toFixed(1)),
  firstSync: {
    seconds: Number(first.seconds.toFixed(1)),
    awsCalls: firstCalls,
    failedAccounts: first.failed,
    versionsStored,
    cpuSeconds: first.cpuSeconds,
  },
  lowerBoundSeconds: Number(lowerBound.toFixed(2)),
  ratioToLowerBound: Number((first.seconds / lowerBound).toFixed(2)),
  unchangedResync: {
    seconds: Number(again.seconds.toFixed(1)),
    awsCalls: totalCalls(again.counters),
    callsPerAccount: Number((totalCalls(again.counters) / A).toFixed(2)),
    sagemakerCallsPerAccount: Number(
      (
        Object.entries(again.counters)
          .filter(([k]) => k.startsWith('sagemaker:'))
          .reduce(
            (n, [, byAccount]) =>
              n + Object.values(byAccount).reduce((a, b) => a + b, 0),
            0,
          ) / A
      ).toFixed(2),
    ),
  },
  describeEachVersionCalls: naive,
  fewerCallsThanDescribingEach: Number((naive / firstCalls).toFixed(1)),
  throttledRetries: firstCalls - A * (pageCalls + 1),
  backendPeakRssMiB: Math.round(peak),
  listVersionsUnderLoad: { versionsStored, clients: 50, ...api },
  callsByOperation: Object.fromEntries(
    Object.entries(first.counters).map(([op, byAccount]) => [
      op,
      Object.values(byAccount).reduce((a, b) => a + b, 0),
    ]),
  ),
};
console.log(JSON.stringify(report, null, 2));
stopAll();
fs.rmSync(configFile, { force: true });
if (values.db === 'pg') {
  await sleep(1000);
  execFileSync(
    'psql',
    [
      '-h',
      '127.0.0.1',
      '-U',
      'postgres',
      '-c',
      `DROP DATABASE IF EXISTS "${dbName}_ml-registry" WITH (FORCE)`,
    ],
    { stdio: 'ignore' },
  );
}
process.exit(0);
