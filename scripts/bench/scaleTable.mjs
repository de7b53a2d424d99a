// The scale table: the same first sync and re-sync at several sizes (accounts
// of `groups` x `versions` each), each in a fresh run of this benchmark
// without its API load, so a reader sees how time and memory grow.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

function sizeRun(run, accounts) {
  const out = execFileSync(
    process.execPath,
    [
      path.join(run.root, 'scripts/bench-ingest.mjs'),
      '--accounts',
      String(accounts),
      '--groups',
      String(run.groups),
      '--versions',
      String(run.versions),
      '--latency',
      String(run.latency),
      '--rate',
      String(run.rate),
      '--db',
      run.db,
      '--api',
      'false',
      '--sizes',
      '',
      '--heap-mib',
      String(run.heapMiB),
      '--plugin-dir',
      run.pluginDir,
      ...(run.dev ? ['--dev'] : ['--skip-build']),
    ],
    { maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out.toString());
}

function row(r) {
  return {
    versions: r.firstSync.versionsStored,
    failedAccounts: r.firstSync.failedAccounts,
    ...(r.firstSync.firstError ? { firstError: r.firstSync.firstError } : {}),
    firstSyncSeconds: r.firstSync.seconds,
    lowerBoundSeconds: r.lowerBoundSeconds,
    ratioToLowerBound: r.ratioToLowerBound,
    backendCpuSeconds: r.firstSync.cpuSeconds.backend,
    resyncSeconds: r.unchangedResync.seconds,
    resyncCallsPerAccount: r.unchangedResync.callsPerAccount,
    backendPeakRssMiB: r.backendPeakRssMiB,
  };
}

/** One row a size; the size already measured is taken from `measured`. */
export async function scaleTable(run, sizes, measured) {
  const rows = [];
  for (const accounts of sizes.map(Number)) {
    try {
      rows.push(
        row(accounts === run.accounts ? measured : sizeRun(run, accounts)),
      );
    } catch (e) {
      rows.push({
        versions: accounts * run.groups * run.versions,
        failed: String(e.message).slice(0, 500),
      });
    }
  }
  return rows;
}
