import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { Sandbox, startSandbox } from '@ml-governance/aws-sandbox';
import { metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { sqsEventsConfig } from '../__testUtils__/gateBackend';
import { sqsEventsModule } from './sqsEvents';

const BACKSTAGE_ACCOUNT = '999999999999';
const MAX_RECEIVES = 2;

/** Reads metrics on demand, for assertions. */
class InMemoryReader extends MetricReader {
  protected async onShutdown() {}
  protected async onForceFlush() {}
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 100));
  }
}

describe('sqsEventsModule', () => {
  const reader = new InMemoryReader();
  let sandbox: Sandbox;
  beforeAll(async () => {
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    sandbox = await startSandbox({ port: 0, stepMs: 10 });
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: BACKSTAGE_ACCOUNT,
      AWS_SECRET_ACCESS_KEY: 'x',
    });
  }, 30_000);
  afterAll(async () => {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    metrics.disable();
    await sandbox.close();
  });

  /** A backend reading `url` with the module, handing each event to `onEvent`. */
  function startListener(
    url: string,
    onEvent: (payload: unknown) => Promise<void>,
    logger = mockServices.logger.mock(),
  ) {
    return startTestBackend({
      features: [
        sqsEventsModule,
        eventsServiceFactory,
        logger.factory,
        createBackendPlugin({
          pluginId: 'listener',
          register(reg) {
            reg.registerInit({
              deps: { events: eventsServiceRef },
              async init({ events }) {
                await events.subscribe({
                  id: 'listener',
                  topics: ['ml-registry'],
                  onEvent: ({ eventPayload }) => onEvent(eventPayload),
                });
              },
            });
          },
        }),
        mockServices.rootConfig.factory({
          data: { events: sqsEventsConfig(sandbox, url) },
        }),
      ],
    });
  }

  it('publishes the valid messages and leaves one that is not JSON to the redrive policy, logged and counted once', async () => {
    const sqs = new SQSClient({ endpoint: sandbox.url, region: 'us-east-1' });
    const dlq = await sqs.send(
      new CreateQueueCommand({ QueueName: 'poison-test-dlq' }),
    );
    const { Attributes: { QueueArn: dlqArn } = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: dlq.QueueUrl,
        AttributeNames: ['QueueArn'],
      }),
    );
    const { QueueUrl: url } = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'poison-test',
        Attributes: {
          VisibilityTimeout: '1',
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: dlqArn,
            maxReceiveCount: MAX_RECEIVES,
          }),
        },
      }),
    );
    const send = (body: string) =>
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    await send(JSON.stringify({ n: 1 }));
    const { MessageId: poisonId } = await send(
      '{"detail-type": "SageMaker Model Package State Change", ',
    );
    await send(JSON.stringify({ n: 2 }));

    const received: unknown[] = [];
    const logger = mockServices.logger.mock();
    logger.child.mockReturnValue(logger);
    const backend = await startListener(
      url!,
      async payload => {
        received.push(payload);
      },
      logger,
    );
    try {
      const inDlq = await until(
        'the poison message in the dead-letter queue',
        async () => {
          const { Messages: messages = [] } = await sqs.send(
            new ReceiveMessageCommand({
              QueueUrl: dlq.QueueUrl,
              MaxNumberOfMessages: 10,
            }),
          );
          return messages.length > 0 ? messages : undefined;
        },
      );
      expect(inDlq.map(m => m.MessageId)).toEqual([poisonId]);
      expect(received).toEqual([{ n: 1 }, { n: 2 }]);
      const { Attributes: left } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      );
      expect(left?.ApproximateNumberOfMessages).toBe('0');
      // Received MAX_RECEIVES times, logged and counted once.
      const poisonLogs = logger.warn.mock.calls.filter(([message]) =>
        String(message).includes(poisonId!),
      );
      expect(poisonLogs).toEqual([
        [
          `SQS message ${poisonId} on ${url} is not JSON; left to the queue's redrive policy`,
        ],
      ]);
      const { resourceMetrics } = await reader.collect();
      const points = resourceMetrics.scopeMetrics
        .flatMap(s => s.metrics)
        .find(
          m => m.descriptor.name === 'ml_registry.events.refused',
        )?.dataPoints;
      expect(points).toEqual([
        expect.objectContaining({
          attributes: { channel: 'sqs', reason: 'malformed' },
          value: 1,
        }),
      ]);
    } finally {
      await backend.stop();
    }
  }, 30_000);

  it('hands on many messages at once, deleting each only once its event is handled', async () => {
    const sqs = new SQSClient({ endpoint: sandbox.url, region: 'us-east-1' });
    const { QueueUrl: url } = await sqs.send(
      new CreateQueueCommand({ QueueName: 'burst-test' }),
    );
    for (let n = 0; n < 30; n++)
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: JSON.stringify({ n }),
        }),
      );
    const attributes = async () =>
      (
        await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: url,
            AttributeNames: ['All'],
          }),
        )
      ).Attributes ?? {};
    let release = () => {};
    const handled = new Promise<void>(resolve => {
      release = resolve;
    });
    const received: unknown[] = [];
    const backend = await startListener(url!, async payload => {
      received.push(payload);
      await handled;
    });
    try {
      // Three batches of ten reach the subscriber while it has handled none of them.
      await until('all 30 events published', async () =>
        received.length === 30 ? true : undefined,
      );
      expect(await attributes()).toMatchObject({
        ApproximateNumberOfMessages: '0',
        ApproximateNumberOfMessagesNotVisible: '30',
      });
      release();
      await until('every message deleted', async () =>
        (await attributes()).ApproximateNumberOfMessagesNotVisible === '0'
          ? true
          : undefined,
      );
      expect(received).toHaveLength(30);
      expect((await attributes()).ApproximateNumberOfMessages).toBe('0');
    } finally {
      release();
      await backend.stop();
    }
  }, 30_000);
});
