// Child processes of the benchmark: started in their own process groups (so
// stopping one stops what it started), their output kept in a file rather than
// a pipe: a pipe the benchmark reads slowly would block a process writing its logs.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';

const children = [];
export const sleep = ms => new Promise(r => setTimeout(r, ms));

export function start(command, args, { cwd, env = {}, name }) {
  const logFile = path.join(
    os.tmpdir(),
    `bench-${name}-${process.pid}-${children.length}.log`,
  );
  const out = fs.openSync(logFile, 'w');
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, FORCE_COLOR: '0', ...env },
    stdio: ['ignore', out, out],
    detached: true,
  });
  fs.closeSync(out);
  child.logFile = logFile;
  child.tail = (lines = 40) =>
    fs.readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
  children.push(child);
  return child;
}

export function stop(child) {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // gone already
  }
}

export function stopAll() {
  for (const child of children) {
    stop(child);
    fs.rmSync(child.logFile, { force: true });
  }
}

/** Prints the last lines each child logged, for a run that failed. */
export function printLogs() {
  for (const child of children) {
    try {
      console.error(`--- ${child.logFile}\n${child.tail()}`);
    } catch {
      // no log
    }
  }
}

export async function waitFor(what, check, timeoutMs, child) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    if (child?.exitCode !== null && child?.exitCode !== undefined) break;
    await sleep(250);
  }
  throw new Error(
    `bench:ingest: ${what} not ready within ${timeoutMs / 1000}s`,
  );
}

function groupPids(pgid) {
  return execFileSync('ps', ['-o', 'pid=', '-g', String(pgid)])
    .toString()
    .trim()
    .split(/\s+/)
    .filter(Boolean);
}

/** Peak RSS (VmHWM) of the biggest process in a process group, in MiB. */
export function peakRssMiB(pgid) {
  let peak = 0;
  for (const pid of groupPids(pgid)) {
    try {
      const hwm = fs
        .readFileSync(`/proc/${pid}/status`, 'utf8')
        .match(/VmHWM:\s+(\d+) kB/);
      if (hwm) peak = Math.max(peak, Number(hwm[1]) / 1024);
    } catch {
      // exited
    }
  }
  return peak;
}

/** CPU seconds (user + system) used so far by each of `pids`. */
function cpuByPid(pids) {
  const ticks = 100; // USER_HZ on Linux
  const used = new Map();
  for (const pid of pids) {
    try {
      const fields = fs
        .readFileSync(`/proc/${pid}/stat`, 'utf8')
        .replace(/^.*\) /, '')
        .split(' ');
      used.set(pid, (Number(fields[11]) + Number(fields[12])) / ticks);
    } catch {
      // exited
    }
  }
  return used;
}

/** CPU seconds (user + system) used so far by a process group. */
export function cpuSeconds(pgid) {
  return [...cpuByPid(groupPids(pgid)).values()].reduce((a, b) => a + b, 0);
}

/**
 * CPU seconds used so far by each PostgreSQL server process connected to
 * `database`: the backend's own share of the server, whatever else uses it.
 */
export function pgCpuByPid(database) {
  const pids = execFileSync('psql', [
    '-h',
    '127.0.0.1',
    '-U',
    'postgres',
    '-Atc',
    `SELECT pid FROM pg_stat_activity WHERE datname = '${database}'`,
  ])
    .toString()
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  return cpuByPid(pids);
}

/** Whether `taskset` can pin processes to CPUs here (Linux, util-linux, 2+ CPUs). */
export function canPin() {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return os.availableParallelism() >= 2;
  } catch {
    return false;
  }
}

/** Pins every thread of every process of a group to `cpus` (e.g. "0"). */
export function pin(pgid, cpus) {
  for (const pid of groupPids(pgid))
    execFileSync('taskset', ['-a', '-p', '-c', cpus, pid], { stdio: 'ignore' });
}

/** A TCP port nothing listens on now, as the system picks one. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
