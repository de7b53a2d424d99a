// The servers under test: the AWS sandbox seeded at scale, and the ml-registry
// backend alone configured to sync it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { start, waitFor } from './processes.mjs';

export async function startSandbox(run) {
  const url = `http://127.0.0.1:${run.sandboxPort}`;
  const seededAt = Date.now();
  const sandbox = start(
    'yarn',
    [
      'workspace',
      '@ml-governance/aws-sandbox',
      'start',
      '--port',
      String(run.sandboxPort),
      '--step-ms',
      '1000',
      '--scale',
      `${run.accounts},${run.groups},${run.versions}`,
    ],
    {
      cwd: run.root,
      name: 'sandbox',
      // E.g. --cpu-prof: the sandbox stands in for AWS, but its CPU is this machine's.
      env: process.env.BENCH_SANDBOX_NODE_OPTIONS
        ? { NODE_OPTIONS: process.env.BENCH_SANDBOX_NODE_OPTIONS }
        : {},
    },
  );
  await waitFor(
    'the sandbox',
    () => fetch(`${url}/_sandbox/health`).then(r => r.ok),
    900_000,
    sandbox,
  );
  run.sandboxSeedSeconds = Number(((Date.now() - seededAt) / 1000).toFixed(1));
  await fetch(`${url}/_sandbox/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      { latencyMs: run.latency },
      // A token bucket per account, as AWS throttles.
      { service: 'sagemaker', throttlePerSecond: run.rate },
    ]),
  });
  sandbox.url = url;
  return sandbox;
}

function writeConfig(run) {
  const configFile = path.join(os.tmpdir(), `${run.dbName}.yaml`);
  const accounts = Array.from({ length: run.accounts }, (_, i) => ({
    accountId: String(run.firstId + i),
    stage: 'dev',
    name: `scale-dev-${i}`,
  }));
  const database =
    run.db === 'pg'
      ? {
          client: 'pg',
          connection: { host: '127.0.0.1', port: 5432, user: 'postgres' },
          prefix: `${run.dbName}_`,
        }
      : { client: 'better-sqlite3', connection: ':memory:' };
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      backend: {
        baseUrl: `http://127.0.0.1:${run.backendPort}`,
        listen: { port: run.backendPort },
        auth: { dangerouslyDisableDefaultAuthPolicy: true },
        database,
        // Backstage logs every request at info: at a thousand requests a second that is the
        // framework's cost, not the plugin's, and the bare server logs nothing.
        logger: { level: run.logLevel },
      },
      mlRegistry: {
        endpoint: `http://127.0.0.1:${run.sandboxPort}`,
        // The client keeps just under the rate the accounts allow: paced at exactly the
        // limit, network jitter alone would get every other call throttled.
        requestsPerSecond: run.rate * 0.95,
        concurrency: run.concurrency,
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
  return configFile;
}

/**
 * How the backend is started. Production: plain Node.js on the built plugin
 * (scripts/bench/backend.cjs), NODE_ENV=production. Dev (`--dev`): as
 * `backstage-cli package start` runs it, TypeScript transpiled as it loads,
 * without the file watcher (other work in the tree must not restart it mid-run).
 */
function backendCommand(run) {
  const { pluginDir } = run;
  if (run.dev)
    return {
      args: [
        '--enable-source-maps',
        '--require',
        createRequire(path.join(pluginDir, 'package.json')).resolve(
          '@backstage/cli-node/config/nodeTransform.cjs',
        ),
        'dev/index.ts',
      ],
      nodeEnv: 'development',
    };
  return {
    args: [path.join(run.root, 'scripts/bench/backend.cjs'), pluginDir],
    nodeEnv: 'production',
  };
}

/** The backend alone; its first sync starts on its own a second after start-up. */
export async function startBackend(run) {
  const configFile = writeConfig(run);
  await fetch(`http://127.0.0.1:${run.sandboxPort}/_sandbox/counters`, {
    method: 'DELETE',
  });
  const { args, nodeEnv } = backendCommand(run);
  const backend = start(process.execPath, [...args, '--config', configFile], {
    cwd: run.pluginDir,
    name: 'backend',
    env: {
      NODE_ENV: nodeEnv,
      AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${run.sandboxPort}`,
      NODE_OPTIONS: `--max-old-space-size=${run.heapMiB} ${
        run.heapSnapshotDir
          ? `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${run.heapSnapshotDir}`
          : ''
      } ${process.env.BENCH_NODE_OPTIONS ?? ''}`,
    },
  });
  await waitFor(
    'the backend',
    () =>
      fetch(
        `http://127.0.0.1:${run.backendPort}/.backstage/health/v1/readiness`,
      ).then(r => r.ok),
    240_000,
    backend,
  );
  run.configFile = configFile;
  return backend;
}
