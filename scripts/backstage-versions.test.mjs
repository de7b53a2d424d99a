import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findProblems, lockedVersions } from './backstage-versions.mjs';

const manifest = {
  releaseVersion: '1.56.0',
  packages: [
    { name: '@backstage/backend-defaults', version: '0.18.0' },
    { name: '@backstage/plugin-catalog', version: '2.0.9' },
  ],
};

const lock = (...entries) =>
  entries
    .map(
      ([name, range, version]) =>
        `"${name}@npm:${range}":\n  version: ${version}\n  resolution: "${name}@npm:${version}"\n`,
    )
    .join('\n');

const workspaces = (deps, resolutions = {}) => [
  { path: 'package.json', json: { resolutions } },
  { path: 'packages/backend/package.json', json: { dependencies: deps } },
];

test('reads every resolved version of each @backstage package', () => {
  const text = lock(
    ['@backstage/backend-defaults', '^0.18.0', '0.18.0'],
    ['@backstage/backend-defaults', '^0.19.0', '0.19.0'],
    ['left-pad', '^1.0.0', '1.3.0'],
  );
  assert.deepEqual(
    [...lockedVersions(text)].map(([n, v]) => [n, [...v].sort()]),
    [['@backstage/backend-defaults', ['0.18.0', '0.19.0']]],
  );
});

test('a tree on the release has no problems', () => {
  assert.deepEqual(
    findProblems({
      manifest,
      workspaces: workspaces({ '@backstage/backend-defaults': '^0.18.0' }),
      lockfileText: lock(['@backstage/backend-defaults', '^0.18.0', '0.18.0']),
    }),
    [],
  );
});

test('names a package resolved to two versions', () => {
  const problems = findProblems({
    manifest,
    workspaces: workspaces({}),
    lockfileText: lock(
      ['@backstage/backend-defaults', '^0.18.0', '0.18.0'],
      ['@backstage/backend-defaults', '^0.19.0', '0.19.0'],
    ),
  });
  assert.deepEqual(problems, [
    '@backstage/backend-defaults resolves to 0.18.0 and 0.19.0 in yarn.lock',
  ]);
});

test('names a workspace dependency moved off the release', () => {
  const problems = findProblems({
    manifest,
    workspaces: workspaces({ '@backstage/plugin-catalog': '^2.1.0' }),
    lockfileText: lock(['@backstage/plugin-catalog', '^2.1.0', '2.1.0']),
  });
  assert.deepEqual(problems, [
    '@backstage/plugin-catalog is 2.1.0 in packages/backend/package.json dependencies, but release 1.56.0 has 2.0.9',
    '@backstage/plugin-catalog is 2.1.0 in yarn.lock, but release 1.56.0 has 2.0.9',
  ]);
});

test('names a resolution and a package outside the release', () => {
  const problems = findProblems({
    manifest,
    workspaces: workspaces({}, { '@backstage/backend-defaults': '0.19.0' }),
    lockfileText: lock(['@backstage/plugin-foo', '^1.0.0', '1.0.0']),
  });
  assert.deepEqual(problems, [
    '@backstage/backend-defaults is 0.19.0 in the root resolutions, but release 1.56.0 has 0.18.0',
    '@backstage/plugin-foo (yarn.lock) is not part of release 1.56.0',
  ]);
});
