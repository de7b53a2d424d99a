#!/usr/bin/env node
// Lists the functions longer than a limit in the TypeScript sources of the
// folders given, as file:line:name:length, and exits 1 when there is one, so
// the test command can hold a folder to it. Tests (*.test.ts, *.test.tsx) are
// left out: a describe block is a list of cases, not a function to split.
//
//   node scripts/long-functions.mjs [--max 60] <folder>...
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';

const ts = createRequire(import.meta.url)('typescript');

function parseArgs(argv) {
  const folders = [];
  let max = 60;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--max') max = Number(argv[++i]);
    else folders.push(argv[i]);
  }
  if (!folders.length || !Number.isInteger(max)) {
    console.error('usage: long-functions.mjs [--max 60] <folder>...');
    process.exit(2);
  }
  return { folders, max };
}

function* sourceFiles(path) {
  if (statSync(path).isFile()) {
    yield path;
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const child = join(path, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(child);
    else if (
      /\.tsx?$/.test(entry.name) &&
      !/\.(test|d)\.tsx?$/.test(entry.name)
    )
      yield child;
  }
}

/** The name a reader finds the function by: its own, its variable's, its property's, or its call's. */
function nameOf(node) {
  if (node.name) return node.name.getText();
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent))
    return parent.name.getText();
  if (ts.isPropertyDeclaration(parent)) return parent.name.getText();
  if (ts.isCallExpression(parent))
    return `(argument of ${parent.expression.getText().slice(0, 40)})`;
  return '(anonymous)';
}

function longFunctions(file, max) {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = node => {
    if (ts.isFunctionLike(node) && node.body) {
      const line = pos => source.getLineAndCharacterOfPosition(pos).line + 1;
      const start = line(node.getStart(source));
      const length = line(node.getEnd()) - start + 1;
      if (length > max) found.push({ start, name: nameOf(node), length });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const { folders, max } = parseArgs(process.argv.slice(2));
let count = 0;
for (const folder of folders) {
  for (const file of sourceFiles(folder)) {
    for (const f of longFunctions(file, max)) {
      count++;
      console.log(
        `${relative(process.cwd(), file)}:${f.start}:${f.name}:${f.length}`,
      );
    }
  }
}
if (count) {
  console.error(`${count} function(s) over ${max} lines`);
  process.exit(1);
}
