#!/usr/bin/env node
// Holds every @backstage/* package to one Backstage release.
//
// backstage-release-manifest.json is the release (the same shape as Backstage's
// own release manifests, which `backstage-cli versions:bump` cannot download
// here). This script checks that the workspaces ask for exactly those versions,
// that the root resolutions pin transitive dependencies to them, and that
// yarn.lock resolves each @backstage package to one version: the release's.
// Mixed releases are not harmless: a backend whose plugins were built against
// different backend-defaults dies at start.
//
//   node scripts/backstage-versions.mjs          check, exit 1 naming each problem
//   node scripts/backstage-versions.mjs --fix    rewrite package.json ranges and
//                                                resolutions from the manifest
import { readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Maps each @backstage/* package in a Yarn Berry lockfile to its resolved versions. */
export function lockedVersions(lockfileText) {
  const versions = new Map();
  let current;
  for (const line of lockfileText.split('\n')) {
    if (!line.startsWith(' ')) {
      const match = line.match(/^"?(@backstage\/[^@"]+)@/);
      current = match ? match[1] : undefined;
    } else if (current && line.startsWith('  version: ')) {
      const version = line.slice('  version: '.length).trim();
      if (!versions.has(current)) versions.set(current, new Set());
      versions.get(current).add(version);
      current = undefined;
    }
  }
  return versions;
}

const DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
];

/**
 * Lists every way the workspaces and lockfile stray from the release.
 * `workspaces` is a list of { path, json } for each package.json, root first.
 */
export function findProblems({ manifest, workspaces, lockfileText }) {
  const release = new Map(manifest.packages.map(p => [p.name, p.version]));
  const problems = [];
  const expectVersion = (name, version, where) => {
    const wanted = release.get(name);
    if (!wanted) {
      problems.push(
        `${name} (${where}) is not part of release ${manifest.releaseVersion}`,
      );
    } else if (version !== wanted) {
      problems.push(
        `${name} is ${version} in ${where}, but release ${manifest.releaseVersion} has ${wanted}`,
      );
    }
  };

  for (const { path: file, json } of workspaces) {
    for (const field of DEPENDENCY_FIELDS) {
      for (const [name, range] of Object.entries(json[field] ?? {})) {
        if (!name.startsWith('@backstage/')) continue;
        // Peer ranges may be wider than the release; they only must include it.
        if (field === 'peerDependencies') continue;
        expectVersion(name, range.replace(/^\^/, ''), `${file} ${field}`);
      }
    }
  }

  const resolutions = workspaces[0].json.resolutions ?? {};
  for (const [name, version] of Object.entries(resolutions)) {
    if (name.startsWith('@backstage/')) {
      expectVersion(name, version, 'the root resolutions');
    }
  }

  for (const [name, versions] of lockedVersions(lockfileText)) {
    if (versions.size > 1) {
      problems.push(
        `${name} resolves to ${[...versions]
          .sort()
          .join(' and ')} in yarn.lock`,
      );
    } else {
      expectVersion(name, [...versions][0], 'yarn.lock');
    }
  }
  return problems.sort();
}

function readWorkspaces(root) {
  const files = ['package.json'];
  for (const dir of ['packages', 'plugins']) {
    for (const name of readdirSync(path.join(root, dir))) {
      const file = path.join(dir, name, 'package.json');
      if (existsSync(path.join(root, file))) files.push(file);
    }
  }
  return files.map(file => ({
    path: file,
    json: JSON.parse(readFileSync(path.join(root, file), 'utf8')),
  }));
}

function fix(root, manifest, workspaces) {
  const release = new Map(manifest.packages.map(p => [p.name, p.version]));
  for (const { path: file, json } of workspaces) {
    for (const field of DEPENDENCY_FIELDS.filter(
      f => f !== 'peerDependencies',
    )) {
      for (const name of Object.keys(json[field] ?? {})) {
        if (release.has(name)) json[field][name] = `^${release.get(name)}`;
      }
    }
  }
  const rootJson = workspaces[0].json;
  const other = Object.entries(rootJson.resolutions ?? {}).filter(
    ([name]) => !name.startsWith('@backstage/'),
  );
  rootJson.resolutions = Object.fromEntries([...other, ...release.entries()]);
  for (const { path: file, json } of workspaces) {
    writeFileSync(path.join(root, file), `${JSON.stringify(json, null, 2)}\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const manifest = JSON.parse(
    readFileSync(path.join(root, 'backstage-release-manifest.json'), 'utf8'),
  );
  const backstageJson = JSON.parse(
    readFileSync(path.join(root, 'backstage.json'), 'utf8'),
  );
  const workspaces = readWorkspaces(root);
  if (process.argv.includes('--fix')) {
    fix(root, manifest, workspaces);
    console.log(
      `pinned @backstage packages to release ${manifest.releaseVersion}; now run yarn install`,
    );
    process.exit(0);
  }
  const problems = findProblems({
    manifest,
    workspaces,
    lockfileText: readFileSync(path.join(root, 'yarn.lock'), 'utf8'),
  });
  if (backstageJson.version !== manifest.releaseVersion) {
    problems.unshift(
      `backstage.json names ${backstageJson.version}, the manifest ${manifest.releaseVersion}`,
    );
  }
  if (problems.length > 0) {
    console.error(
      `@backstage packages stray from release ${manifest.releaseVersion}:`,
    );
    for (const p of problems) console.error(`  - ${p}`);
    console.error(
      'Fix: node scripts/backstage-versions.mjs --fix && yarn install',
    );
    process.exit(1);
  }
  console.log(
    `backstage versions: ${
      lockedVersions(readFileSync(path.join(root, 'yarn.lock'), 'utf8')).size
    } @backstage packages, all at release ${manifest.releaseVersion}`,
  );
}
