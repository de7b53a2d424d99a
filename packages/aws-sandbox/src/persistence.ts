import fs from 'node:fs';
import path from 'node:path';
import { emptyAccount, SandboxState } from './state';

/**
 * Reads the saved state. A missing file means a first start; an unreadable
 * one stops the start with an error naming it, so nothing is silently lost.
 */
export function loadState(file: string): SandboxState | undefined {
  removeDebris(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    if (e.code === 'ENOENT') return undefined;
    throw new Error(
      `aws-sandbox: cannot read state file ${file}: ${e.message}`,
    );
  }
  let state: any;
  try {
    state = JSON.parse(text);
  } catch (e: any) {
    throw new Error(
      `aws-sandbox: state file ${file} is not valid JSON (${e.message}); move it away to start from the scenario again`,
    );
  }
  if (state?.formatVersion !== 1 || typeof state.accounts !== 'object') {
    throw new Error(
      `aws-sandbox: state file ${file} is not a sandbox state (formatVersion 1); move it away to start from the scenario again`,
    );
  }
  // A state saved by an older sandbox lacks the kinds of resources added since: they start empty.
  for (const account of Object.values<any>(state.accounts)) {
    for (const [key, empty] of Object.entries(
      emptyAccount(account.id, account.name),
    ))
      account[key] ??= empty;
  }
  return state as SandboxState;
}

/** The temporary files of writers killed mid-write (see saveState): never a state, only debris. */
function removeDebris(file: string) {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (
      name.startsWith(`${base}.`) &&
      /^\.\d+\.tmp$/.test(name.slice(base.length))
    )
      fs.rmSync(path.join(dir, name), { force: true });
  }
}

/**
 * Writes the state atomically, so a kill at any moment leaves a complete
 * state: the new state goes to a temporary file, which is flushed to disk
 * before it replaces the old file (a rename, atomic within a file system),
 * and the directory is flushed so that the rename itself survives a crash.
 */
export function saveState(file: string, state: SandboxState): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, JSON.stringify(state));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  const dirFd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }
}
