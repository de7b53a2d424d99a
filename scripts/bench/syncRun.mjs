// One run of the backend's sync task, timed by the scheduler's own start and
// end times, with the AWS calls it made and the CPU the sandbox and backend spent.
import { cpuSeconds, pgCpuByPid, sleep } from './processes.mjs';

/**
 * A JSON GET that tries again when the connection drops: a reused keep-alive
 * connection the busy backend has just closed resets, and says nothing of the sync.
 */
async function json(url) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url).then(r => r.json());
    } catch (e) {
      if (attempt === 5) throw e;
      await sleep(200);
    }
  }
}
const sum = byAccount => Object.values(byAccount).reduce((a, b) => a + b, 0);

async function taskState(tasks) {
  return (await json(tasks)).tasks.find(t => t.taskId === 'ml-registry-sync')
    ?.taskState;
}

async function waitForRun(run, backend, tasks, before, askedAt) {
  let startedAt;
  for (;;) {
    const state = await taskState(tasks);
    if (state?.status === 'running') startedAt ??= state.startedAt;
    if (
      state?.status === 'idle' &&
      state.lastRunEndedAt &&
      state.lastRunEndedAt !== before
    ) {
      if (state.lastRunError)
        throw new Error(`bench:ingest: the sync failed: ${state.lastRunError}`);
      // A run shorter than a poll is never seen running: timed from when it was asked for.
      const from = startedAt ? Date.parse(startedAt) : askedAt;
      return (Date.parse(state.lastRunEndedAt) - from) / 1000;
    }
    if (backend.exitCode !== null)
      throw new Error(`bench:ingest: the backend exited:\n${backend.tail()}`);
    // The times are the scheduler's own, so polling sooner buys no precision, only the backend's CPU.
    await sleep(250);
  }
}

/** Waits for a run of the sync (the first starts on its own; later ones are triggered). */
export async function syncRun(run, sandbox, backend, trigger) {
  const api = `http://127.0.0.1:${run.backendPort}/api/ml-registry`;
  const tasks = `${api}/.backstage/scheduler/v1/tasks`;
  if (trigger)
    await fetch(`${sandbox.url}/_sandbox/counters`, { method: 'DELETE' });
  const cpuBefore = {
    sandbox: cpuSeconds(sandbox.pid),
    backend: cpuSeconds(backend.pid),
  };
  const registryDb = run.registryDatabase;
  const pgBefore = run.db === 'pg' ? pgCpuByPid(registryDb) : undefined;
  const before = (await taskState(tasks))?.lastRunEndedAt;
  const askedAt = Date.now();
  if (trigger) {
    const res = await fetch(`${tasks}/ml-registry-sync/trigger`, {
      method: 'POST',
    });
    if (!res.ok)
      throw new Error(
        `bench:ingest: triggering the sync failed: ${
          res.status
        } ${await res.text()}`,
      );
  }
  const seconds = await waitForRun(run, backend, tasks, before, askedAt);
  const accounts = (await json(`${api}/accounts`)).items;
  const counters = await json(`${sandbox.url}/_sandbox/counters`);
  const models = (await json(`${api}/models`)).items;
  return {
    seconds,
    failed: accounts.filter(a => a.lastError).length,
    firstError: accounts.find(a => a.lastError)?.lastError,
    versionsStored: models.reduce((n, m) => n + m.versions, 0),
    cpuSeconds: {
      sandbox: Number((cpuSeconds(sandbox.pid) - cpuBefore.sandbox).toFixed(1)),
      backend: Number((cpuSeconds(backend.pid) - cpuBefore.backend).toFixed(1)),
      // Connections opened during the run count from zero; any closed during it are lost.
      ...(pgBefore
        ? {
            postgres: Number(
              [...pgCpuByPid(registryDb)]
                .reduce((n, [pid, s]) => n + s - (pgBefore.get(pid) ?? 0), 0)
                .toFixed(1),
            ),
          }
        : {}),
    },
    calls: Object.values(counters).reduce(
      (n, byAccount) => n + sum(byAccount),
      0,
    ),
    sagemakerCalls: Object.entries(counters)
      .filter(([k]) => k.startsWith('sagemaker:'))
      .reduce((n, [, byAccount]) => n + sum(byAccount), 0),
    callsByOperation: Object.fromEntries(
      Object.entries(counters).map(([op, byAccount]) => [op, sum(byAccount)]),
    ),
  };
}
