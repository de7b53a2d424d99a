// The built packages the production-mode backend loads (scripts/bench/backend.cjs):
// the ml-registry backend plugin and the suite's packages it depends on, built
// with `backstage-cli package build` when their dist/ is missing or older than
// their sources.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The newest modification time (ms) of the files under `dir`. */
function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, {
    withFileTypes: true,
    recursive: true,
  })) {
    if (entry.isFile())
      latest = Math.max(
        latest,
        fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs,
      );
  }
  return latest;
}

function isStale(packageDir) {
  const built = path.join(packageDir, 'dist/index.cjs.js');
  if (!fs.existsSync(built)) return true;
  const sources = Math.max(
    newest(path.join(packageDir, 'src')),
    fs.statSync(path.join(packageDir, 'package.json')).mtimeMs,
  );
  return sources > fs.statSync(built).mtimeMs;
}

/**
 * Builds what is stale of the plugin at `pluginDir` and its sibling packages
 * common and node, dependencies first. Returns the packages built and the seconds it took.
 */
export function buildPlugin(pluginDir) {
  const packages = ['../ml-registry-common', '../ml-registry-node', '.'].map(
    p => path.resolve(pluginDir, p),
  );
  const started = Date.now();
  const built = [];
  for (const dir of packages.filter(isStale)) {
    console.error(
      `bench:ingest: building ${path.relative(process.cwd(), dir) || dir}`,
    );
    // `--role cli`: the same CommonJS output as the package's own role, without the
    // declarations, which need the whole repository's `yarn tsc` first (and which
    // other work's `yarn tsc` may be rewriting at the time).
    execFileSync(
      'yarn',
      ['backstage-cli', 'package', 'build', '--role', 'cli'],
      {
        cwd: dir,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    built.push(path.basename(dir));
  }
  return {
    built,
    seconds: Number(((Date.now() - started) / 1000).toFixed(1)),
  };
}
