#!/usr/bin/env node
// bench:ingest — how fast and how cheaply the ML registry backend ingests a
// large platform, and how its API compares with a bare server. Starts the AWS
// sandbox seeded with ACCOUNTS x GROUPS x VERSIONS (each account answering with
// added latency and throttling above a rate), then the ml-registry backend
// alone on PostgreSQL or SQLite, as production runs it (the built plugin under
// plain Node.js, scripts/bench/backend.cjs, built first if its dist/ is older
// than its sources) or with --dev as `yarn start` does (plugins/ml-registry-backend/dev,
// TypeScript transpiled as it loads), and measures:
//   - the first full sync and an unchanged re-sync: wall time, AWS calls, CPU;
//   - the first sync against its lower bound: the calls pagination alone needs
//     (ceil(groups/100) + ceil(versions/100) + one page of projects and one of
//     domains per account, plus one AssumeRole), at the allowed rate, all
//     accounts in parallel;
//   - the calls describing every version one at a time would take;
//   - the backend's peak RSS (VmHWM);
//   - then (PostgreSQL), with every version stored, the same clients listing
//     models' versions from the backend, from a minimal Backstage backend whose
//     one route answers as the bare server does (scripts/bench/minimalBackend.cjs:
//     what Backstage's HTTP stack costs) and from a bare http+pg server with the
//     same SQL (scripts/bench/bareServer.mjs), servers and load generator pinned
//     to different CPUs with taskset where the machine allows;
//   - then the scale table: the same sync at each of --sizes accounts.
// Usage: yarn bench:ingest [--accounts 200] [--groups 100] [--versions 10]
//          [--latency 20] [--rate 2] [--concurrency N] [--db pg|sqlite]
//          [--api true|false] [--sizes 10,50,200,1000 | --sizes ""] [--log-level warn|info]
//          [--plugin-dir <another checkout>/plugins/ml-registry-backend]
//          [--dev] [--heap-mib 4096 (the backend's --max-old-space-size)]
//          [--heap-snapshot <dir> (the backend's heap after the re-sync, for what it holds)]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { apiComparison } from './bench/apiComparison.mjs';
import { buildPlugin } from './bench/build.mjs';
import { startBackend, startSandbox } from './bench/servers.mjs';
import { scaleTable } from './bench/scaleTable.mjs';
import { syncRun } from './bench/syncRun.mjs';
import {
  freePort,
  peakRssMiB,
  printLogs,
  sleep,
  stopAll,
} from './bench/processes.mjs';
import { heapSnapshot } from './bench/heapSnapshot.mjs';

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
    api: { type: 'string', default: 'true' },
    sizes: { type: 'string', default: '10,50,200,1000' },
    'log-level': { type: 'string', default: 'warn' },
    // Another checkout's backend plugin (built from its src/, or its dev/ with --dev), to compare revisions under the same load.
    'plugin-dir': { type: 'string' },
    // The backend transpiled as it loads (`yarn start`), not built: the figures before 2026-12-04.
    dev: { type: 'boolean', default: false },
    'heap-mib': { type: 'string', default: '4096' },
    'heap-snapshot': { type: 'string' },
    // Set by the scale table's runs: the parent built the plugin already.
    'skip-build': { type: 'boolean', default: false },
  },
});
const run = {
  root,
  accounts: Number(values.accounts),
  groups: Number(values.groups),
  versions: Number(values.versions),
  latency: Number(values.latency),
  rate: Number(values.rate),
  concurrency: Number(values.concurrency ?? values.accounts),
  db: values.db,
  firstId: 700000000000,
  // Ports free now rather than fixed ones, so the benchmark needs no lock against other servers.
  sandboxPort: await freePort(),
  backendPort: await freePort(),
  barePort: await freePort(),
  dbName: `ml_bench_${Date.now()}`,
  logLevel: values['log-level'],
  pluginDir:
    values['plugin-dir'] ?? path.join(root, 'plugins/ml-registry-backend'),
  dev: values.dev,
  heapMiB: Number(values['heap-mib']),
  heapSnapshotDir:
    values['heap-snapshot'] && path.resolve(values['heap-snapshot']),
};
// The plugin's database, as Backstage names it from the configured prefix (scripts/bench/servers.mjs).
run.registryDatabase = `${run.dbName}_ml-registry`;
const build =
  run.dev || values['skip-build'] ? undefined : buildPlugin(run.pluginDir);

process.on('exit', stopAll);
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));
const failed = e => {
  printLogs();
  console.error(e);
  process.exit(1);
};
process.on('unhandledRejection', failed);
process.on('uncaughtException', failed);

/** The databases the backend made: one a plugin. */
function dropDatabases() {
  if (run.db !== 'pg') return;
  for (const plugin of ['ml-registry', 'permission'])
    execFileSync(
      'psql',
      [
        '-h',
        '127.0.0.1',
        '-U',
        'postgres',
        '-c',
        `DROP DATABASE IF EXISTS "${run.dbName}_${plugin}" WITH (FORCE)`,
      ],
      { stdio: 'ignore' },
    );
}

const sandbox = await startSandbox(run);
const backend = await startBackend(run);
const first = await syncRun(run, sandbox, backend, false);
const again = await syncRun(run, sandbox, backend, true);
const peak = peakRssMiB(backend.pid);
if (run.heapSnapshotDir) await heapSnapshot(run.heapSnapshotDir, backend);
const api =
  values.api === 'true' && run.db === 'pg'
    ? await apiComparison(run, backend)
    : undefined;
const report = summarize(first, again, peak, api);
stopAll();
fs.rmSync(run.configFile, { force: true });
await sleep(1000);
dropDatabases();
if (values.sizes) {
  // Shown now: the scale table takes a while.
  console.error(JSON.stringify(report, null, 2));
  report.scale = await scaleTable(run, values.sizes.split(','), report);
}
console.log(JSON.stringify(report, null, 2));
process.exit(0);

function summarize(first, again, peak, api) {
  const { accounts: A, groups: G, versions: V, rate, latency } = run;
  const pageCalls = Math.ceil(G / 100) + Math.ceil((G * V) / 100) + 2;
  // Per account: AssumeRole at once, then its paginated calls at `rate` a second.
  const lowerBound =
    (pageCalls - 1) / rate + ((pageCalls + 1) * latency) / 1000;
  const naive = A * (Math.ceil(G / 100) + G * (1 + Math.ceil(V / 100)) + G * V);
  return {
    setup: `${A} accounts x ${G} groups x ${V} versions (${
      A * G * V
    } versions), ${latency} ms added latency a call, throttled above ${rate} SageMaker calls/s per account, concurrency ${
      run.concurrency
    }, ${run.db === 'pg' ? 'PostgreSQL' : 'SQLite'}, backend ${
      run.dev ? 'in dev mode (transpiled as it loads)' : 'built (production)'
    } with --max-old-space-size=${
      run.heapMiB
    }, ${os.availableParallelism()} CPUs, load average ${os
      .loadavg()
      .map(l => l.toFixed(1))
      .join(' ')}`,
    ...(build ? { build } : {}),
    sandboxSeedSeconds: run.sandboxSeedSeconds,
    firstSync: {
      seconds: Number(first.seconds.toFixed(1)),
      awsCalls: first.calls,
      failedAccounts: first.failed,
      ...(first.firstError ? { firstError: first.firstError } : {}),
      versionsStored: first.versionsStored,
      cpuSeconds: first.cpuSeconds,
    },
    lowerBoundSeconds: Number(lowerBound.toFixed(2)),
    ratioToLowerBound: Number((first.seconds / lowerBound).toFixed(2)),
    unchangedResync: {
      seconds: Number(again.seconds.toFixed(1)),
      awsCalls: again.calls,
      callsPerAccount: Number((again.calls / A).toFixed(2)),
      sagemakerCallsPerAccount: Number((again.sagemakerCalls / A).toFixed(2)),
      cpuSeconds: again.cpuSeconds,
    },
    describeEachVersionCalls: naive,
    fewerCallsThanDescribingEach: Number((naive / first.calls).toFixed(1)),
    throttledRetries: first.calls - A * (pageCalls + 1),
    backendPeakRssMiB: Math.round(peak),
    ...(api ? { listVersionsUnderLoad: api } : {}),
    callsByOperation: first.callsByOperation,
  };
}
