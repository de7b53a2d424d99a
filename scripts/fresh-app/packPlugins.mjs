// Packs every plugin as it would be published: built, then `yarn pack`, which
// runs its prepack (dist entry points, LICENSE) and turns `workspace:^`
// ranges into the released versions. The type declarations come from the
// repository's `yarn tsc` (dist-types), which has to run first. With
// `prebuilt`, each plugin's dist is the one `backstage-cli repo build --all`
// made just before (as the test command does), and is packed as it is.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { run } from './run.mjs';

function publishablePlugins(root) {
  return readdirSync(path.join(root, 'plugins'))
    .map(dir => {
      const cwd = path.join(root, 'plugins', dir);
      const json = JSON.parse(
        readFileSync(path.join(cwd, 'package.json'), 'utf8'),
      );
      return { dir, cwd, json };
    })
    .filter(({ json }) => !json.private);
}

/** Builds and packs each package under plugins/, all at once; returns each package's tarball and version by name. */
export async function packPlugins({ root, outDir, logDir, prebuilt }) {
  if (!existsSync(path.join(root, 'dist-types', 'plugins'))) {
    throw new Error('no dist-types: run `yarn tsc` first');
  }
  const plugins = publishablePlugins(root);
  await Promise.all(
    plugins.map(async ({ dir, cwd }) => {
      const log = { cwd, logDir, log: `pack-${dir}` };
      if (!prebuilt) {
        await run('yarn', ['backstage-cli', 'package', 'build'], log);
      } else if (!existsSync(path.join(cwd, 'dist'))) {
        throw new Error(`--prebuilt, but plugins/${dir} has no dist`);
      }
      await run(
        'yarn',
        ['pack', '--out', path.join(outDir, `${dir}.tgz`)],
        log,
      );
    }),
  );
  return {
    tarballs: Object.fromEntries(
      plugins.map(({ dir, json }) => [
        json.name,
        path.join(outDir, `${dir}.tgz`),
      ]),
    ),
    versions: Object.fromEntries(
      plugins.map(({ json }) => [json.name, json.version]),
    ),
  };
}
