#!/usr/bin/env node
// Red Hat Developer Hub: exports each plugin as a dynamic plugin (the
// packages' `export-dynamic` scripts, `rhdh-cli plugin export`) and checks
// that the exported packages load as Developer Hub loads them. Each backend
// package's entry point, required from its dist-dynamic folder, is a backend
// feature, and all of them register and start together in one backend with
// the catalog, scaffolder and permission plugins they extend. The frontend
// package's scalprum bundle is named as dynamic-plugins/dynamic-plugins.yaml
// says and exposes every import that file mounts.
//
// The plugins are built once first, then exported all at once with
// `--no-build` (exports building the embedded common package at the same
// time would write over each other's dist). The dist-dynamic folders are
// removed afterwards (lint and formatting would read them); publish from a
// `yarn export-dynamic` of your own. The frontend plugin's export leaves
// module federation assets in its dist: the test builds it again.
//
//   node scripts/dynamic-plugins-test.mjs [--keep] [--prebuilt]
//     --keep      leaves dist-dynamic
//     --prebuilt  exports the plugins' dist as it is, without building it first
//                 (the test command runs it after `backstage-cli repo build --all`)
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const BACKEND_ROLES = ['backend-plugin', 'backend-plugin-module'];

function exportablePlugins() {
  return readdirSync(path.join(root, 'plugins'))
    .map(dir => {
      const file = path.join(root, 'plugins', dir, 'package.json');
      return {
        dir: path.dirname(file),
        json: JSON.parse(readFileSync(file, 'utf8')),
      };
    })
    .filter(p => p.json.scripts?.['export-dynamic']);
}

async function checkBackends(plugins) {
  const {
    startTestBackend,
    mockServices,
  } = require('@backstage/backend-test-utils');
  const features = plugins.map(({ dir, json }) => {
    const dynamic = path.join(dir, 'dist-dynamic');
    const feature = require(dynamic).default;
    assert.equal(
      feature?.$$type,
      '@backstage/BackendFeature',
      `${json.name}'s dynamic package exports a backend feature`,
    );
    console.log(
      `[dynamic] ${json.name}-dynamic: its entry point is a backend feature`,
    );
    return feature;
  });
  const backend = await startTestBackend({
    features: [
      ...features,
      require('@backstage/plugin-catalog-backend'),
      require('@backstage/plugin-scaffolder-backend'),
      require('@backstage/plugin-permission-backend'),
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          mlRegistry: {
            // Nothing answers here: starting must not need AWS.
            endpoint: 'http://127.0.0.1:9',
            accounts: [
              {
                accountId: '111111111111',
                stage: 'shared-services',
                name: 'ml-shared',
              },
            ],
          },
        },
      }),
    ].map(f => f.default ?? f),
  });
  await backend.stop();
  console.log(
    `[dynamic] the ${features.length} backend packages register and start in one backend`,
  );
}

function checkFrontend({ dir, json }) {
  const config = readFileSync(
    path.join(root, 'dynamic-plugins/dynamic-plugins.yaml'),
    'utf8',
  );
  const scalprumDir = path.join(dir, 'dist-dynamic', 'dist-scalprum');
  const manifest = JSON.parse(
    readFileSync(path.join(scalprumDir, 'plugin-manifest.json'), 'utf8'),
  );
  assert.ok(
    config.includes(`${manifest.name}:`),
    `dynamic-plugins.yaml configures the scalprum plugin ${manifest.name}`,
  );
  assert.ok(config.includes(`package: '${json.name}-dynamic'`));
  const bundle = readdirSync(scalprumDir)
    .filter(f => f.endsWith('.js'))
    .concat(
      existsSync(path.join(scalprumDir, 'static'))
        ? readdirSync(path.join(scalprumDir, 'static')).map(f => `static/${f}`)
        : [],
    )
    .filter(f => f.endsWith('.js'))
    .map(f => readFileSync(path.join(scalprumDir, f), 'utf8'))
    .join('\n');
  const imports = [...config.matchAll(/importName: (\w+)/g)].map(m => m[1]);
  for (const name of imports) {
    assert.ok(bundle.includes(name), `the scalprum bundle exposes ${name}`);
  }
  console.log(
    `[dynamic] ${json.name}-dynamic: scalprum plugin ${
      manifest.name
    } exposes ${imports.join(', ')}`,
  );
}

const run = promisify(execFile);

/** Runs `yarn <args>` in `cwd`; its output goes with the error when it fails. */
async function yarn(cwd, args) {
  const started = Date.now();
  try {
    await run('yarn', args, { cwd, maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    throw new Error(
      `yarn ${args.join(' ')} in ${cwd} failed:\n${e.stdout}\n${e.stderr}`,
    );
  }
  return Math.round((Date.now() - started) / 1000);
}

/** The plugins the exports build or embed: every package under plugins/. */
async function buildPlugins() {
  const seconds = await yarn(root, [
    'workspaces',
    'foreach',
    '--all',
    '--parallel',
    '--include',
    '@ml-governance/plugin-*',
    'exec',
    'backstage-cli',
    'package',
    'build',
  ]);
  console.log(`[dynamic] build the plugins: ${seconds} s`);
}

const plugins = exportablePlugins();
try {
  if (!process.argv.includes('--prebuilt')) await buildPlugins();
  const started = Date.now();
  await Promise.all(
    plugins.map(async ({ dir, json }) => {
      const seconds = await yarn(dir, ['export-dynamic', '--no-build']);
      console.log(`[dynamic] yarn export-dynamic (${json.name}): ${seconds} s`);
    }),
  );
  console.log(
    `[dynamic] the ${plugins.length} exports, all at once: ${Math.round(
      (Date.now() - started) / 1000,
    )} s`,
  );
  await checkBackends(
    plugins.filter(p => BACKEND_ROLES.includes(p.json.backstage.role)),
  );
  for (const plugin of plugins.filter(
    p => p.json.backstage.role === 'frontend-plugin',
  )) {
    checkFrontend(plugin);
  }
  console.log('[dynamic] passed');
} finally {
  if (!process.argv.includes('--keep')) {
    for (const { dir } of plugins) {
      rmSync(path.join(dir, 'dist-dynamic'), { recursive: true, force: true });
    }
  }
  // A frontend plugin's export replaces its dist with module federation
  // assets; the package's own build goes back, for packing and for the app.
  for (const { dir, json } of plugins) {
    if (json.backstage.role === 'frontend-plugin') {
      await yarn(dir, ['backstage-cli', 'package', 'build']);
    }
  }
}
// The stopped backend's plugins leave timers behind (the catalog's, the scheduler's).
process.exit();
