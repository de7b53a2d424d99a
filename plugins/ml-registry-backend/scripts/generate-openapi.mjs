#!/usr/bin/env node
/*
 * Generates the code of the REST contract from src/schema/openapi.yaml:
 *   - src/schema/openapi.generated.ts: the document as a typed constant, from which
 *     @backstage/backend-openapi-utils validates and types the router's requests;
 *   - plugin-ml-registry-common's src/schema/openapi.generated.ts: the request and
 *     response types (openapi-typescript), which common re-exports under the names
 *     the backend, the frontend client and the other plugins import.
 * `--check` writes nothing and fails when a generated file differs from what the
 * YAML gives (the test openapi.generated.test.ts runs it).
 *
 * Why not `backstage-repo-tools package schema openapi generate --server`/`--client-package`:
 * both run @openapitools/openapi-generator-cli, which downloads the generator's JAR
 * from Maven Central (repo1.maven.org) on first use; only the npm registry is
 * reachable where this suite is built and tested, so they cannot run. The spec
 * constant above is what repo-tools' server generation also writes (its
 * generateSpecFile); openapi-typescript is a pure npm package.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// Prettier is the repository's own formatter, a dependency of its root.
const fromRoot = createRequire(
  new URL('../../../package.json', import.meta.url),
);
const prettier = fromRoot('prettier');
const YAML = require('yaml');
const { default: openapiTS, astToString } = require('openapi-typescript');

const packageDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
);
const yamlPath = path.join(packageDir, 'src/schema/openapi.yaml');
const specPath = path.join(packageDir, 'src/schema/openapi.generated.ts');
const typesPath = path.resolve(
  packageDir,
  '../ml-registry-common/src/schema/openapi.generated.ts',
);

const HEADER = `// THIS FILE IS GENERATED; DO NOT EDIT IT. Edit src/schema/openapi.yaml of
// plugin-ml-registry-backend and run \`node scripts/generate-openapi.mjs\` there.
`;

async function format(file, source) {
  const options = await prettier.resolveConfig(file);
  return prettier.format(source, { ...options, filepath: file });
}

async function generated() {
  const yaml = fs.readFileSync(yamlPath, 'utf8');
  const document = YAML.parse(yaml);
  const spec = `${HEADER}/* eslint-disable */\nexport const spec = ${JSON.stringify(
    document,
  )} as const;\n`;
  const ast = await openapiTS(document, {
    additionalProperties: false,
    alphabetize: false,
  });
  const types = `${HEADER}/* eslint-disable */\n${astToString(ast)}`;
  return [
    [specPath, await format(specPath, spec)],
    [typesPath, await format(typesPath, types)],
  ];
}

const check = process.argv.includes('--check');
const stale = [];
for (const [file, content] of await generated()) {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (current === content) continue;
  if (check) stale.push(path.relative(process.cwd(), file));
  else fs.writeFileSync(file, content);
}
if (stale.length) {
  console.error(
    `Out of date with openapi.yaml (run node scripts/generate-openapi.mjs in plugins/ml-registry-backend): ${stale.join(
      ', ',
    )}`,
  );
  process.exit(1);
}
