// Creates a new Backstage app with @backstage/create-app at the repository's
// release, as a user starts one: the new frontend system's app, and beside it
// (packages/app-legacy) the app of create-app's legacy template.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from './run.mjs';

// Native builds the new app does not need here: optional ones (keytar wants
// libsecret; ssh2's cpu-features), the API docs' tree-sitter parsers,
// install-time notices, and better-sqlite3: the test's backends use PostgreSQL
// (app-config.yaml here), and compiling SQLite from source (no prebuilt
// binaries are reachable) was most of the install's time.
const NOT_BUILT = [
  'better-sqlite3',
  'keytar',
  'cpu-features',
  'ssh2',
  'tree-sitter',
  'tree-sitter-json',
  '@tree-sitter-grammars/tree-sitter-yaml',
  'protobufjs',
  'core-js',
  'core-js-pure',
  '@scarf/scarf',
];

/** The version the repository's yarn.lock resolves `name` to (its first entry). */
function lockedVersion(root, name) {
  const lock = readFileSync(path.join(root, 'yarn.lock'), 'utf8');
  const entry = lock.indexOf(`\n"${name}@npm:`);
  const version = /\n {2}version: (\S+)/.exec(lock.slice(entry))?.[1];
  if (entry < 0 || !version) {
    throw new Error(`${name} is not in the repository's yarn.lock`);
  }
  return version;
}

const readJson = file => JSON.parse(readFileSync(file, 'utf8'));
const writeJson = (file, json) =>
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);

async function createApp({ workDir, dir, legacy, createAppVersion, logDir }) {
  await run(
    'npx',
    [
      '--yes',
      `@backstage/create-app@${createAppVersion}`,
      '--path',
      dir,
      '--skip-install',
      ...(legacy ? ['--legacy'] : []),
    ],
    {
      cwd: workDir,
      env: { BACKSTAGE_APP_NAME: 'fresh-app' },
      logDir,
      log: 'create-app',
    },
  );
}

/**
 * Creates the app in `<workDir>/app` and returns its path. The release's
 * package versions are pinned (create-app cannot fetch the release's yarn.lock
 * seed here), and each plugin resolves to its tarball, as it would to the
 * registry after publishing.
 */
export async function createFreshApp({ root, workDir, tarballs, logDir }) {
  const manifest = readJson(path.join(root, 'backstage-release-manifest.json'));
  const createAppVersion = manifest.packages.find(
    p => p.name === '@backstage/create-app',
  ).version;
  await createApp({
    workDir,
    dir: 'app',
    legacy: false,
    createAppVersion,
    logDir,
  });
  await createApp({
    workDir,
    dir: 'legacy',
    legacy: true,
    createAppVersion,
    logDir,
  });
  const appDir = path.join(workDir, 'app');
  const legacyApp = path.join(appDir, 'packages', 'app-legacy');
  renameSync(path.join(workDir, 'legacy', 'packages', 'app'), legacyApp);
  rmSync(path.join(workDir, 'legacy'), { recursive: true, force: true });
  const legacyJson = readJson(path.join(legacyApp, 'package.json'));
  writeJson(path.join(legacyApp, 'package.json'), {
    ...legacyJson,
    name: 'app-legacy',
  });

  const rootJson = readJson(path.join(appDir, 'package.json'));
  for (const { name, version } of manifest.packages) {
    rootJson.resolutions[name] = version;
  }
  // create-app's `@playwright/test: ^1.32.3` reaches releases younger than its
  // own `npmMinimalAgeGate: 3d`, whose playwright-core Yarn then refuses as
  // quarantined: the app gets the version the repository's lockfile holds.
  rootJson.resolutions['@playwright/test'] = lockedVersion(
    root,
    '@playwright/test',
  );
  for (const [name, tarball] of Object.entries(tarballs)) {
    rootJson.resolutions[name] = `file:${tarball}`;
  }
  rootJson.dependenciesMeta = Object.fromEntries(
    NOT_BUILT.map(name => [name, { built: false }]),
  );
  writeJson(path.join(appDir, 'package.json'), rootJson);
  writeJson(path.join(appDir, 'backstage.json'), {
    version: manifest.releaseVersion,
  });
  return appDir;
}
