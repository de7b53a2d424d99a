import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import {
  coalescingRunner,
  MlAccount,
} from '@ml-governance/plugin-ml-registry-common';
import { AccountSync } from './AccountSync';
import {
  MODEL_PACKAGE_STATE_CHANGE,
  parseAwsEvent,
  PIPELINE_STAGE_STATE_CHANGE,
  refusedEventsCounter,
} from '../events/awsEvent';

/**
 * Syncs an account as soon as EventBridge reports a model package state
 * change in it (delivered through the events service, e.g. by the AWS SQS
 * events module), and the test and prod accounts when a deploy pipeline stage
 * ends (their endpoints changed). Events only say "look again": the incremental sync reads
 * the truth from AWS, so duplicate and out-of-order events are harmless.
 * Events arriving while the account syncs coalesce into one more sync.
 */
export async function syncOnEvents(options: {
  events: EventsService;
  topic: string;
  accounts: MlAccount[];
  sync: AccountSync;
  logger: LoggerService;
  /** Runs after each event-driven sync of an account, e.g. to promote what was just approved. */
  afterSync?: (account: MlAccount) => Promise<void>;
}): Promise<void> {
  const refused = refusedEventsCounter();
  // Keyed by the configured account objects, which every event resolves to.
  const syncSoon = coalescingRunner(async (account: MlAccount) => {
    const result = await options.sync.sync(account);
    if (result.ok) await options.afterSync?.(account);
  });

  await options.events.subscribe({
    id: 'ml-registry',
    topics: [options.topic],
    async onEvent({ eventPayload }) {
      const parsed = parseAwsEvent(eventPayload);
      if ('problem' in parsed) {
        // Logged without the payload: it is the sender's text, not ours to repeat.
        refused.add(1, { channel: 'topic', reason: 'malformed' });
        options.logger.debug(
          `Ignoring an event that is not one the registry acts on: ${parsed.problem}`,
        );
        return;
      }
      const { event } = parsed;
      if (event['detail-type'] === PIPELINE_STAGE_STATE_CHANGE) {
        if (
          event.detail.state !== 'SUCCEEDED' &&
          event.detail.state !== 'FAILED'
        )
          return;
        const targets = options.accounts.filter(
          a => a.stage === 'test' || a.stage === 'prod',
        );
        await Promise.all(targets.map(syncSoon));
        return;
      }
      if (event['detail-type'] !== MODEL_PACKAGE_STATE_CHANGE) return;
      const account = options.accounts.find(a => a.accountId === event.account);
      if (!account) {
        options.logger.debug(
          `Ignoring a model package event from unconfigured account ${event.account}`,
        );
        return;
      }
      await syncSoon(account);
    },
  });
}
