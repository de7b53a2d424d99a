// The API under load beside a bare server: the same clients, paths and SQL
// against the backend and against scripts/bench/bareServer.mjs, one after the
// other. Where taskset can pin, the servers run on CPU 0 and the load
// generator on CPU 1 (PostgreSQL, not ours to pin, runs where it likes).
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { canPin, pin, start, stop, waitFor } from './processes.mjs';

const CLIENTS = 50;
const SECONDS = 15;

function load(run, port) {
  const args = [
    path.join(run.root, 'scripts/bench/load.mjs'),
    `http://127.0.0.1:${port}`,
    String(run.accounts),
    String(run.groups),
    String(run.firstId),
    String(CLIENTS),
    String(SECONDS),
  ];
  const out = run.pinned
    ? execFileSync('taskset', ['-c', '1', process.execPath, ...args])
    : execFileSync(process.execPath, args);
  return JSON.parse(out.toString());
}

const ratio = (a, b) => Number((a / b).toFixed(2));

export async function apiComparison(run, backend) {
  run.pinned = canPin();
  const bare = start(
    process.execPath,
    [
      path.join(run.root, 'scripts/bench/bareServer.mjs'),
      String(run.barePort),
      `${run.dbName}_ml-registry`,
    ],
    { cwd: run.root, name: 'bare' },
  );
  const probe = `http://127.0.0.1:${run.barePort}/api/ml-registry/models/${run.firstId}/model-0-0/versions`;
  await waitFor(
    'the bare server',
    () => fetch(probe).then(r => r.ok),
    30_000,
    bare,
  );
  if (run.pinned) {
    pin(backend.pid, '0');
    pin(bare.pid, '0');
  }
  // Warm both (JIT, connection pools) before measuring.
  for (const port of [run.barePort, run.backendPort])
    for (let i = 0; i < 200; i++)
      await fetch(probe.replace(String(run.barePort), String(port)));
  const bareResult = load(run, run.barePort);
  const plugin = load(run, run.backendPort);
  stop(bare);
  return {
    clients: CLIENTS,
    seconds: SECONDS,
    pinned: run.pinned
      ? 'servers on CPU 0, load generator on CPU 1'
      : 'not pinned (taskset unavailable)',
    plugin,
    bare: bareResult,
    pluginOverBare: {
      p50: ratio(plugin.latencyMs.p50, bareResult.latencyMs.p50),
      p95: ratio(plugin.latencyMs.p95, bareResult.latencyMs.p95),
      p99: ratio(plugin.latencyMs.p99, bareResult.latencyMs.p99),
      requestsPerSecond: ratio(
        plugin.requestsPerSecond,
        bareResult.requestsPerSecond,
      ),
    },
  };
}
