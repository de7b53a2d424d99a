import { mockServices } from '@backstage/backend-test-utils';
import { DefaultEventsService } from '@backstage/plugin-events-node';
import { AccountSync } from './AccountSync';
import { MODEL_PACKAGE_STATE_CHANGE } from '../events/awsEvent';
import { syncOnEvents } from './syncOnEvents';

const fraud = {
  accountId: '222222222222',
  stage: 'dev' as const,
  name: 'fraud-dev',
};

describe('syncOnEvents', () => {
  async function setup() {
    const logger = mockServices.logger.mock();
    const events = DefaultEventsService.create({ logger });
    let release: () => void = () => {};
    const sync = {
      sync: jest.fn(
        () =>
          new Promise<any>(resolve => {
            release = () => resolve({ ok: true });
          }),
      ),
    };
    await syncOnEvents({
      events,
      topic: 'ml-registry',
      accounts: [fraud],
      sync: sync as unknown as AccountSync,
      logger,
    });
    const publish = (payload: object) =>
      events.publish({ topic: 'ml-registry', eventPayload: payload });
    return { sync, publish, release: () => release() };
  }

  it('syncs the account of a model package state change, coalescing events that arrive meanwhile', async () => {
    const { sync, publish, release } = await setup();
    const event = {
      'detail-type': MODEL_PACKAGE_STATE_CHANGE,
      source: 'aws.sagemaker',
      account: fraud.accountId,
      detail: {},
    };
    const first = publish(event);
    await new Promise(r => setImmediate(r));
    expect(sync.sync).toHaveBeenCalledTimes(1);
    // Two duplicates while the first sync runs make one more sync, not two.
    const dup1 = publish(event);
    const dup2 = publish(event);
    release();
    await new Promise(r => setImmediate(r));
    expect(sync.sync).toHaveBeenCalledTimes(2);
    release();
    await Promise.all([first, dup1, dup2]);
    expect(sync.sync).toHaveBeenCalledTimes(2);
    expect(sync.sync).toHaveBeenCalledWith(fraud);
  });

  it('ignores other events and unconfigured accounts', async () => {
    const { sync, publish } = await setup();
    await publish({
      'detail-type': 'CodePipeline Action Execution State Change',
      source: 'aws.codepipeline',
      account: fraud.accountId,
      detail: { pipeline: 'p', state: 'STARTED' },
    });
    await publish({
      'detail-type': MODEL_PACKAGE_STATE_CHANGE,
      source: 'aws.sagemaker',
      account: '999999999999',
      detail: {},
    });
    // Shaped like the event but not from SageMaker.
    await publish({
      'detail-type': MODEL_PACKAGE_STATE_CHANGE,
      source: 'my.app',
      account: fraud.accountId,
      detail: {},
    });
    await publish({ unexpected: true });
    expect(sync.sync).not.toHaveBeenCalled();
  });
});
