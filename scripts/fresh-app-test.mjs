#!/usr/bin/env node
// The fresh-app install test: packs every plugin, creates a new Backstage app
// with @backstage/create-app at the repository's release, installs the
// tarballs as the plugins' READMEs say (frontend plugin in the new and the
// legacy frontend systems, backend plugin and modules), type-checks the app
// and builds both frontend systems' apps, starts a backend for each against
// the AWS sandbox and checks that the ML registry synced, its entities are in
// the catalog, a gate decision works, and that each app's ML Registry page and
// Model tab render in Chromium. Its ports (sandbox 4767, backends 7107 and
// 7108) are its own: it runs beside the browser tests, without their lock.
//
//   node scripts/fresh-app-test.mjs [--keep] [--prebuilt]
//     --keep      leaves the temp folder
//     --prebuilt  packs the plugins' dist as it is, without building them first
//                 (the test command runs it after `backstage-cli repo build --all`)
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBackend } from './fresh-app/checkBackend.mjs';
import { checkFrontend } from './fresh-app/checkFrontend.mjs';
import { createFreshApp } from './fresh-app/createFreshApp.mjs';
import { createDatabases } from './fresh-app/databases.mjs';
import { installPlugins } from './fresh-app/installPlugins.mjs';
import { packPlugins } from './fresh-app/packPlugins.mjs';
import { phases, run, start, until } from './fresh-app/run.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SANDBOX_PORT = 4767;
const SANDBOX = `http://127.0.0.1:${SANDBOX_PORT}`;
// One backend for each frontend system's app: `app.packageName` names the
// app package the backend's app plugin serves.
const FRONTENDS = [
  { system: 'new frontend system', app: 'app', port: 7107 },
  { system: 'legacy frontend system', app: 'app-legacy', port: 7108 },
];
const backendUrl = ({ port }) => `http://localhost:${port}`;
const database = ({ port }) => `fresh_app_${port}_${process.pid}`;

const workDir = mkdtempSync(path.join(os.tmpdir(), 'fresh-app-'));
const logDir = path.join(workDir, 'logs');
const tarballDir = path.join(workDir, 'tarballs');
mkdirSync(logDir);
mkdirSync(tarballDir);
const time = phases();
const running = [];
let databases;

async function startSandbox() {
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
}

async function startBackend(appDir, frontend) {
  const backend = start('yarn', ['workspace', 'backend', 'start'], {
    cwd: appDir,
    env: {
      FORCE_COLOR: '0',
      APP_CONFIG_app_packageName: frontend.app,
      FRESH_APP_PORT: `${frontend.port}`,
      FRESH_APP_DATABASE: database(frontend),
      FRESH_APP_SANDBOX: SANDBOX,
      AWS_ENDPOINT_URL_STS: SANDBOX,
      AWS_ACCESS_KEY_ID: '999999999999',
      AWS_SECRET_ACCESS_KEY: 'sandbox',
      AWS_REGION: 'us-east-1',
    },
    logDir,
    log: `backend-${frontend.app}`,
  });
  running.push(backend);
  await until(
    `the backend serving ${frontend.app} to be ready`,
    async () =>
      (
        await fetch(`${backendUrl(frontend)}/.backstage/health/v1/readiness`)
      ).ok,
    240_000,
  );
}

/** The app's checks and builds, which need nothing from each other, run together. */
function checkAndBuild(appDir) {
  return Promise.all([
    run('yarn', ['tsc'], { cwd: appDir, logDir, log: 'tsc' }),
    ...FRONTENDS.map(({ app }) =>
      run('yarn', ['workspace', app, 'build'], {
        cwd: appDir,
        logDir,
        log: `build-${app}`,
      }),
    ),
    startSandbox(),
  ]);
}

try {
  const { tarballs, versions } = await time.time('pack the plugins', () =>
    packPlugins({
      root,
      outDir: tarballDir,
      logDir,
      prebuilt: process.argv.includes('--prebuilt'),
    }),
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
  await time.time(
    'type-check the app, build both frontend systems, start the sandbox',
    () => checkAndBuild(appDir),
  );
  databases = await createDatabases(FRONTENDS.map(database));
  await time.time('start a backend for each frontend system', () =>
    Promise.all(FRONTENDS.map(frontend => startBackend(appDir, frontend))),
  );
  const model = await time.time('check the registry, catalog and a gate', () =>
    checkBackend(backendUrl(FRONTENDS[0])),
  );
  await time.time('check the page and the Model tab in Chromium', () =>
    Promise.all(
      FRONTENDS.map(frontend =>
        checkFrontend({
          root,
          system: frontend.system,
          baseUrl: backendUrl(frontend),
          model,
        }),
      ),
    ),
  );
  console.log(`[fresh-app] passed\n${time.summary()}`);
} catch (e) {
  console.error(`[fresh-app] FAILED: ${e.stack ?? e}\nlogs: ${logDir}`);
  process.exitCode = 1;
} finally {
  for (const service of running.reverse()) service.stop();
  await databases?.drop();
  if (!process.argv.includes('--keep') && process.exitCode !== 1) {
    rmSync(workDir, { recursive: true, force: true });
  }
}
