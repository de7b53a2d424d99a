import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { MlAccount } from '@ml-governance/plugin-ml-registry-common';
import { AccountSync } from './sync/AccountSync';

const TASK_ID = 'ml-registry-sync';

/**
 * Syncs every account on the schedule (the scheduler runs it on one replica
 * at a time), then promotes what was approved: the safety net of the events
 * path. A backend killed right after taking an event off the queue never
 * acts on it, and the scheduler keeps the task's next run (up to `frequency`
 * away) across restarts, so the task also runs at start.
 */
export async function scheduleSync(options: {
  scheduler: SchedulerService;
  logger: LoggerService;
  schedule: SchedulerServiceTaskScheduleDefinition;
  accounts: MlAccount[];
  concurrency: number;
  sync: AccountSync;
  promoteApproved: (account: MlAccount) => Promise<void>;
}): Promise<void> {
  const { scheduler, logger, accounts, sync } = options;
  await scheduler.scheduleTask({
    id: TASK_ID,
    ...options.schedule,
    fn: async () => {
      const results = await sync.syncAll(accounts, options.concurrency);
      const failed = results.filter(r => !r.ok).length;
      // A poll: each failed account is a warning of its own.
      logger.debug(
        `ML registry sync: ${
          results.length - failed
        } accounts synced, ${failed} failed`,
      );
      for (const account of accounts) await options.promoteApproved(account);
    },
  });
  // A ConflictError means it is running already.
  await scheduler.triggerTask(TASK_ID).catch(e => {
    if (e?.name !== 'ConflictError') throw e;
  });
}
