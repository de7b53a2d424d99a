// The API under load in three servers, one after the other, with the same
// clients, paths, SQL and JSON: the ml-registry backend; a minimal Backstage
// backend whose one route answers as the bare server does
// (scripts/bench/minimalBackend.cjs: what Backstage's HTTP stack costs); and
// the bare http+pg server (scripts/bench/bareServer.mjs). Where taskset can
// pin, the servers run on CPU 0 and the load generator on CPU 1 (PostgreSQL,
// not ours to pin, runs where it likes). Each server's CPU time per request is
// measured too: on a shared machine it varies less than the latencies.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  canPin,
  cpuSeconds,
  freePort,
  pin,
  start,
  stop,
  waitFor,
} from './processes.mjs';

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

/** The load against one server, with the CPU time it spent. */
function measure(run, server) {
  const before = cpuSeconds(server.child.pid);
  const result = load(run, server.port);
  const cpu = cpuSeconds(server.child.pid) - before;
  return {
    ...result,
    cpuMsPerRequest: Number(((cpu * 1000) / result.requests).toFixed(3)),
  };
}

/** The minimal Backstage backend, configured as the ml-registry backend but for its port. */
function startMinimal(run, port, database) {
  const config = JSON.parse(fs.readFileSync(run.configFile, 'utf8'));
  const configFile = run.configFile.replace(/\.yaml$/, '-minimal.yaml');
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      backend: {
        ...config.backend,
        baseUrl: `http://127.0.0.1:${port}`,
        listen: { port },
      },
    }),
  );
  const child = start(
    process.execPath,
    [
      path.join(run.root, 'scripts/bench/minimalBackend.cjs'),
      run.pluginDir,
      database,
      '--config',
      configFile,
    ],
    { cwd: run.pluginDir, name: 'minimal', env: { NODE_ENV: 'production' } },
  );
  child.configFile = configFile;
  return child;
}

const ratio = (a, b) => Number((a / b).toFixed(2));

function ratios(a, b) {
  return {
    p50: ratio(a.latencyMs.p50, b.latencyMs.p50),
    p95: ratio(a.latencyMs.p95, b.latencyMs.p95),
    p99: ratio(a.latencyMs.p99, b.latencyMs.p99),
    requestsPerSecond: ratio(a.requestsPerSecond, b.requestsPerSecond),
    cpuMsPerRequest: ratio(a.cpuMsPerRequest, b.cpuMsPerRequest),
  };
}

export async function apiComparison(run, backend) {
  run.pinned = canPin();
  const database = run.registryDatabase;
  const minimalPort = await freePort();
  const servers = {
    plugin: { child: backend, port: run.backendPort },
    backstageMinimal: {
      child: startMinimal(run, minimalPort, database),
      port: minimalPort,
    },
    bare: {
      child: start(
        process.execPath,
        [
          path.join(run.root, 'scripts/bench/bareServer.mjs'),
          String(run.barePort),
          database,
        ],
        { cwd: run.root, name: 'bare' },
      ),
      port: run.barePort,
    },
  };
  const probe = port =>
    `http://127.0.0.1:${port}/api/ml-registry/models/${run.firstId}/model-0-0/versions`;
  for (const [name, { child, port }] of Object.entries(servers)) {
    await waitFor(
      `the ${name} server`,
      () => fetch(probe(port)).then(r => r.ok),
      120_000,
      child,
    );
    if (run.pinned) pin(child.pid, '0');
  }
  // Warm each (JIT, connection pools) before measuring.
  for (const { port } of Object.values(servers))
    for (let i = 0; i < 200; i++) await fetch(probe(port));
  const bare = measure(run, servers.bare);
  const backstageMinimal = measure(run, servers.backstageMinimal);
  const plugin = measure(run, servers.plugin);
  stop(servers.bare.child);
  stop(servers.backstageMinimal.child);
  fs.rmSync(servers.backstageMinimal.child.configFile, { force: true });
  return {
    clients: CLIENTS,
    seconds: SECONDS,
    pinned: run.pinned
      ? 'servers on CPU 0, load generator on CPU 1'
      : 'not pinned (taskset unavailable)',
    plugin,
    backstageMinimal,
    bare,
    pluginOverBare: ratios(plugin, bare),
    pluginOverBackstageMinimal: ratios(plugin, backstageMinimal),
    backstageMinimalOverBare: ratios(backstageMinimal, bare),
  };
}
