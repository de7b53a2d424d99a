// Runs the fresh-app test's commands: each one's output goes to a log file
// under the test's folder (the last lines are shown when it fails), and each
// phase's time is kept for the summary.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';

/** Runs a command to completion, its output to `<logDir>/<log>.log`; rejects on a non-zero exit. */
export function run(command, args, { cwd, env, logDir, log }) {
  const file = path.join(logDir, `${log}.log`);
  const out = createWriteStream(file, { flags: 'a' });
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail = [];
    const keep = chunk => {
      out.write(chunk);
      tail.push(...chunk.toString().split('\n'));
      tail.splice(0, Math.max(0, tail.length - 40));
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', code => {
      out.end();
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${command} ${args.join(
              ' ',
            )} (in ${cwd}) exited ${code}; log ${file}:\n${tail.join('\n')}`,
          ),
        );
    });
  });
}

/** Starts a long-running command in its own process group, its output to a log file. */
export function start(command, args, { cwd, env, logDir, log }) {
  const out = createWriteStream(path.join(logDir, `${log}.log`));
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  return {
    child,
    stop() {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}

/** Times phases; `summary()` lists them with the total. */
export function phases() {
  const times = [];
  return {
    async time(name, fn) {
      const started = Date.now();
      console.log(`[fresh-app] ${name}...`);
      const result = await fn();
      const seconds = Math.round((Date.now() - started) / 1000);
      times.push([name, seconds]);
      console.log(`[fresh-app] ${name}: ${seconds} s`);
      return result;
    },
    summary() {
      const total = times.reduce((sum, [, s]) => sum + s, 0);
      return [
        ...times.map(([n, s]) => `  ${n}: ${s} s`),
        `  total: ${total} s`,
      ].join('\n');
    },
  };
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

/** Polls `check` until it returns a truthy value, or fails naming `what` after `timeoutMs`. */
export async function until(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    await sleep(1000);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
}
