#!/usr/bin/env node
// The fresh-app install test: packs every plugin, creates a new Backstage app
// with @backstage/create-app at the repository's release, installs the
// tarballs as the plugins' READMEs say (frontend plugin in the new and the
// legacy frontend systems, backend plugin and modules), type-checks and builds
// the app, starts its backend against the AWS sandbox and checks that the ML
// registry synced, its entities are in the catalog and a gate decision works.
// Binds its own ports (sandbox, backend): run it under `flock /tmp/e2e.lock`.
//
//   node scripts/fresh-app-test.mjs [--keep]   --keep leaves the temp folder
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBackend } from './fresh-app/checkBackend.mjs';
import { checkFrontend } from './fresh-app/checkFrontend.mjs';
import { createFreshApp } from './fresh-app/createFreshApp.mjs';
import { installPlugins } from './fresh-app/installPlugins.mjs';
import { packPlugins } from './fresh-app/packPlugins.mjs';
import { phases, run, start, until } from './fresh-app/run.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SANDBOX_PORT = 4767;
const BACKEND_PORT = 7107;
const SANDBOX = `http://127.0.0.1:${SANDBOX_PORT}`;
const BACKEND = `http://localhost:${BACKEND_PORT}`;

const workDir = mkdtempSync(path.join(os.tmpdir(), 'fresh-app-'));
const logDir = path.join(workDir, 'logs');
const tarballDir = path.join(workDir, 'tarballs');
mkdirSync(logDir);
mkdirSync(tarballDir);
const time = phases();
const running = [];

async function startServices(appDir) {
  const sandbox = start(
    'yarn',
    [
      'workspace',
      '@ml-governance/aws-sandbox',
      'start',
      '--port',
      `${SANDBOX_PORT}`,
      '--step-ms',
      '200',
    ],
    { cwd: root, logDir, log: 'sandbox' },
  );
  running.push(sandbox);
  await until(
    'the sandbox',
    async () => (await fetch(`${SANDBOX}/_sandbox/health`)).ok,
    60_000,
  );
  const backend = start('yarn', ['workspace', 'backend', 'start'], {
    cwd: appDir,
    env: {
      FORCE_COLOR: '0',
      FRESH_APP_PORT: `${BACKEND_PORT}`,
      FRESH_APP_SANDBOX: SANDBOX,
      AWS_ENDPOINT_URL_STS: SANDBOX,
      AWS_ACCESS_KEY_ID: '999999999999',
      AWS_SECRET_ACCESS_KEY: 'sandbox',
      AWS_REGION: 'us-east-1',
    },
    logDir,
    log: 'backend',
  });
  running.push(backend);
  await until(
    'the backend to be ready',
    async () => (await fetch(`${BACKEND}/.backstage/health/v1/readiness`)).ok,
    240_000,
  );
}

try {
  const { tarballs, versions } = await time.time('pack the plugins', () =>
    packPlugins({ root, outDir: tarballDir, logDir }),
  );
  const appDir = await time.time('create the app (create-app)', () =>
    createFreshApp({ root, workDir, tarballs, logDir }),
  );
  await time.time('install the plugins as their READMEs say', () =>
    installPlugins({
      appDir,
      versions,
      config: readFileSync(
        path.join(root, 'scripts/fresh-app/app-config.yaml'),
        'utf8',
      ),
      logDir,
    }),
  );
  await time.time('type-check the app (both frontend systems, backend)', () =>
    run('yarn', ['tsc'], { cwd: appDir, logDir, log: 'tsc' }),
  );
  await time.time('build the new frontend system app', () =>
    run('yarn', ['workspace', 'app', 'build'], {
      cwd: appDir,
      logDir,
      log: 'build',
    }),
  );
  await time.time('start the sandbox and the backend', () =>
    startServices(appDir),
  );
  const models = await time.time('check the registry, catalog and a gate', () =>
    checkBackend(BACKEND),
  );
  await time.time('check the page and the Model tab in Chromium', () =>
    checkFrontend({
      root,
      baseUrl: BACKEND,
      model: models.find(m => m.metadata.name.includes('fraud-detection')),
    }),
  );
  console.log(`[fresh-app] passed\n${time.summary()}`);
} catch (e) {
  console.error(`[fresh-app] FAILED: ${e.stack ?? e}\nlogs: ${logDir}`);
  process.exitCode = 1;
} finally {
  for (const service of running.reverse()) service.stop();
  if (!process.argv.includes('--keep') && process.exitCode !== 1) {
    rmSync(workDir, { recursive: true, force: true });
  }
}
