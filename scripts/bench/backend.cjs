// The ml-registry backend alone as production runs it: plain Node.js loading
// built JavaScript (the plugin's dist/ and @backstage/backend-defaults), no
// transpiler, no source maps. Usage: node backend.cjs <plugin dir> --config <file>
// Every request is allowed (the permission allow-all policy), as in dev/index.ts.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const pluginDir = path.resolve(process.argv[2]);
process.argv.splice(2, 1);

/** The directory of the package.json nearest above a file. */
function packageDir(file) {
  let dir = path.dirname(file);
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${file}`);
    dir = parent;
  }
  return dir;
}

// In the repository the suite's own packages point their `main` at src/index.ts;
// published, `backstage-cli package prepack` points it at the build. Loaded here,
// a workspace package resolves to its dist/ as an installed one would.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveBuilt(request, ...rest) {
  const file = resolveFilename.call(this, request, ...rest);
  if (!file.endsWith('.ts')) return file;
  const built = path.join(packageDir(file), 'dist/index.cjs.js');
  if (!fs.existsSync(built))
    throw new Error(
      `bench backend: ${request} resolves to ${file} and has no ${built}; build it first`,
    );
  return built;
};

const fromPlugin = Module.createRequire(path.join(pluginDir, 'package.json'));
const { createBackend } = fromPlugin('@backstage/backend-defaults');
const backend = createBackend();
for (const feature of [
  '@backstage/plugin-permission-backend',
  '@backstage/plugin-permission-backend-module-allow-all-policy',
  path.join(pluginDir, 'dist/index.cjs.js'),
])
  backend.add(fromPlugin(feature).default);
backend.start();
