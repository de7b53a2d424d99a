// Packs every plugin as it would be published: built, then `yarn pack`, which
// runs its prepack (dist entry points, LICENSE) and turns `workspace:^`
// ranges into the released versions. The type declarations come from the
// repository's `yarn tsc` (dist-types), which has to run first.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { run } from './run.mjs';

/** Builds and packs each package under plugins/; returns each package's tarball and version by name. */
export async function packPlugins({ root, outDir, logDir }) {
  if (!existsSync(path.join(root, 'dist-types', 'plugins'))) {
    throw new Error('no dist-types: run `yarn tsc` first');
  }
  const tarballs = {};
  const versions = {};
  for (const dir of readdirSync(path.join(root, 'plugins'))) {
    const cwd = path.join(root, 'plugins', dir);
    const {
      name,
      version,
      private: isPrivate,
    } = JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8'));
    if (isPrivate) continue;
    const tarball = path.join(outDir, `${dir}.tgz`);
    await run('yarn', ['backstage-cli', 'package', 'build'], {
      cwd,
      logDir,
      log: 'pack',
    });
    await run('yarn', ['pack', '--out', tarball], { cwd, logDir, log: 'pack' });
    tarballs[name] = tarball;
    versions[name] = version;
  }
  return { tarballs, versions };
}
