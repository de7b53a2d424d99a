#!/usr/bin/env node
// Starts the real backend with the local config, waits for its readiness
// endpoint, and fails on any plugin start-up error or error-level log line.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const READINESS = 'http://localhost:7007/.backstage/health/v1/readiness';
const START_TIMEOUT_MS = 240_000;
// Errors can come after readiness (e.g. the first catalog processing round).
const SETTLE_MS = 15_000;

// Dev-format lines are `<timestamp> <plugin> <level> <message>`.
const ERROR_LINE = /^\S+\s+\S+\s+error\b/;
// eslint-disable-next-line no-control-regex
const stripAnsi = s => s.replace(/\x1b\[[0-9;]*m/g, '');

const started = Date.now();
const backend = spawn('yarn', ['workspace', 'backend', 'start'], {
  cwd: root,
  env: { ...process.env, FORCE_COLOR: '0' },
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: true,
});

const errors = [];
let exited;
const logLines = [];
for (const stream of [backend.stdout, backend.stderr]) {
  let buffer = '';
  stream.on('data', chunk => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop();
    for (const raw of lines) {
      const line = stripAnsi(raw);
      logLines.push(line);
      if (ERROR_LINE.test(line) || /threw an error during startup|Backend failed to start/.test(line)) {
        errors.push(line);
      }
    }
  });
}
backend.on('exit', code => {
  exited = code;
});

function stop() {
  try {
    process.kill(-backend.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

async function ready() {
  try {
    const res = await fetch(READINESS);
    return res.status === 200;
  } catch {
    return false;
  }
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

let isReady = false;
// A plugin that fails to start leaves the backend up but never ready: stop at
// the first error instead of waiting out the timeout.
while (
  Date.now() - started < START_TIMEOUT_MS &&
  exited === undefined &&
  errors.length === 0
) {
  if (await ready()) {
    isReady = true;
    break;
  }
  await sleep(1000);
}
const readyAfter = ((Date.now() - started) / 1000).toFixed(1);
if (isReady) await sleep(SETTLE_MS);
stop();

if (!isReady && errors.length === 0) {
  console.error(logLines.slice(-40).join('\n'));
  console.error(
    exited === undefined
      ? `boot test: backend not ready within ${START_TIMEOUT_MS / 1000}s`
      : `boot test: backend exited with code ${exited} before it was ready`,
  );
  process.exit(1);
}
if (errors.length > 0) {
  console.error(`boot test: ${errors.length} error line(s) in the backend log:`);
  for (const line of errors) console.error(`  ${line}`);
  process.exit(1);
}
const plugins = new Set(
  logLines.map(l => l.match(/^\S+\s+(\S+)\s+info\b/)?.[1]).filter(Boolean),
);
console.log(
  `boot test: backend ready in ${readyAfter}s, no error lines in ${SETTLE_MS / 1000}s after (${plugins.size} log sources: ${[...plugins].sort().join(', ')})`,
);
