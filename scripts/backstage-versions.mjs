#!/usr/bin/env node
// Fails when any @backstage/* package resolves to more than one version in
// yarn.lock. Two releases side by side are not harmless: a backend whose
// plugins were built against different backend-defaults dies at start.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * Maps each @backstage/* package in a Yarn Berry lockfile to the set of
 * versions it resolves to.
 */
export function backstageVersions(lockfileText) {
  const versions = new Map();
  let current;
  for (const line of lockfileText.split('\n')) {
    if (!line.startsWith(' ') && line.includes('@backstage/')) {
      // Entry header: `"@backstage/foo@npm:^1.0.0, @backstage/foo@npm:^1.1.0":`
      const match = line.match(/^"?(@backstage\/[^@"]+)@/);
      current = match ? match[1] : undefined;
    } else if (current && line.startsWith('  version: ')) {
      const version = line.slice('  version: '.length).trim();
      if (!versions.has(current)) versions.set(current, new Set());
      versions.get(current).add(version);
      current = undefined;
    } else if (!line.startsWith(' ')) {
      current = undefined;
    }
  }
  return versions;
}

/** Returns one message per package that resolves to more than one version. */
export function findMixedVersions(lockfileText) {
  const problems = [];
  for (const [name, set] of backstageVersions(lockfileText)) {
    if (set.size > 1) {
      problems.push(`${name} resolves to ${[...set].sort().join(' and ')}`);
    }
  }
  return problems.sort();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const lockfile = process.argv[2] ?? path.join(root, 'yarn.lock');
  const release = JSON.parse(
    readFileSync(path.join(root, 'backstage.json'), 'utf8'),
  ).version;
  const text = readFileSync(lockfile, 'utf8');
  const problems = findMixedVersions(text);
  if (problems.length > 0) {
    console.error(
      `@backstage packages must all come from one release (backstage.json: ${release}), but:`,
    );
    for (const p of problems) console.error(`  - ${p}`);
    console.error(
      "Fix: yarn up '@backstage/<name>' to the release's version, then yarn dedupe '@backstage/*'.",
    );
    process.exit(1);
  }
  console.log(
    `backstage versions: ${backstageVersions(text).size} @backstage packages, one version each (release ${release})`,
  );
}
