// A heap snapshot of the running backend (started with --heapsnapshot-signal),
// taken after its peak RSS was read: writing one makes the process grow.
import fs from 'node:fs';
import path from 'node:path';
import { sleep } from './processes.mjs';

/** Signals the backend to write a snapshot into `dir` and waits until it is written. */
export async function heapSnapshot(dir, backend) {
  const before = new Set(fs.readdirSync(dir));
  process.kill(backend.pid, 'SIGUSR2');
  for (let size = -1; ; ) {
    await sleep(2000);
    const file = fs
      .readdirSync(dir)
      .find(f => f.endsWith('.heapsnapshot') && !before.has(f));
    if (!file) continue;
    const now = fs.statSync(path.join(dir, file)).size;
    if (now === size) {
      console.error(`bench:ingest: heap snapshot ${path.join(dir, file)}`);
      return;
    }
    size = now;
  }
}
