import {
  coreServices,
  createBackendModule,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { eventsServiceRef, EventsService } from '@backstage/plugin-events-node';
import { durationToMilliseconds } from '@backstage/types';
import {
  DeleteMessageBatchCommand,
  Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { refusedEventsCounter } from './awsEvent';

const TOPICS_KEY = 'events.modules.awsSqs.awsSqsConsumingEventPublisher.topics';

interface QueueOfTopic {
  topic: string;
  url: string;
  region: string;
  endpoint?: string;
  waitTimeSeconds: number;
  visibilityTimeoutSeconds?: number;
  waitAfterEmptyReceiveMs: number;
}

const seconds = (config: Config, key: string) =>
  config.has(key)
    ? durationToMilliseconds(readDurationFromConfig(config, { key })) / 1000
    : undefined;

/** The queues of `events.modules.awsSqs.awsSqsConsumingEventPublisher.topics`, the AWS SQS events module's own config. */
export function readQueues(config: Config): QueueOfTopic[] {
  const topics = config.getOptionalConfig(TOPICS_KEY);
  return (topics?.keys() ?? []).map(topic => {
    const c = topics!.getConfig(topic);
    const waitTimeSeconds = seconds(c, 'queue.waitTime') ?? 20;
    // ReceiveMessage's WaitTimeSeconds is 0 to 20.
    if (waitTimeSeconds < 0 || waitTimeSeconds > 20) {
      throw new Error(
        `${TOPICS_KEY}.${topic}.queue.waitTime: must be 0 to 20 seconds`,
      );
    }
    const endpoint = c.getOptionalString('queue.endpoint');
    const visibilityTimeoutSeconds = seconds(c, 'queue.visibilityTimeout');
    return {
      topic,
      url: c.getString('queue.url'),
      region: c.getString('queue.region'),
      ...(endpoint ? { endpoint } : {}),
      waitTimeSeconds,
      ...(visibilityTimeoutSeconds !== undefined
        ? { visibilityTimeoutSeconds }
        : {}),
      waitAfterEmptyReceiveMs:
        (seconds(c, 'waitTimeAfterEmptyReceive') ?? 60) * 1000,
    };
  });
}

/** A batch of a queue's messages, with how often each was received. */
async function receive(
  sqs: SQSClient,
  queue: QueueOfTopic,
  signal: AbortSignal,
): Promise<Message[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queue.url,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: queue.waitTimeSeconds,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      ...(queue.visibilityTimeoutSeconds !== undefined
        ? { VisibilityTimeout: queue.visibilityTimeoutSeconds }
        : {}),
    }),
    { abortSignal: signal },
  );
  return Messages;
}

/** Deletes the messages published; one not deleted comes again, which events tolerate. */
async function deleteMessages(
  sqs: SQSClient,
  queue: QueueOfTopic,
  messages: Message[],
  logger: LoggerService,
): Promise<void> {
  const { Failed = [] } = await sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: queue.url,
      Entries: messages.map((m, i) => ({
        Id: String(i),
        ReceiptHandle: m.ReceiptHandle,
      })),
    }),
  );
  if (Failed.length > 0)
    logger.warn(
      `Could not delete ${Failed.length} SQS messages from ${queue.url}: ${Failed[0].Message}`,
    );
}

/** How many received batches may wait for their events to be handled before the next receive. */
const BATCHES_IN_FLIGHT = 10;

/**
 * Reads one queue until stopped, each message on its own: a
 * message whose body is JSON is published on the topic and deleted; one that is
 * not is logged (on its first receive only, with its id) and counted, and left
 * for the queue's redrive policy to move to the dead-letter queue after
 * maxReceiveCount receives
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html).
 * The AWS SQS events module instead fails the whole batch on one such body,
 * so the valid messages received with it are redelivered, and can reach the
 * dead-letter queue with it.
 */
async function consume(
  queue: QueueOfTopic,
  events: EventsService,
  logger: LoggerService,
  signal: AbortSignal,
) {
  const sqs = new SQSClient({
    region: queue.region,
    ...(queue.endpoint ? { endpoint: queue.endpoint } : {}),
  });
  const refused = refusedEventsCounter();
  const publishable = async (message: Message) => {
    let eventPayload: unknown;
    try {
      eventPayload = JSON.parse(message.Body ?? '');
    } catch {
      if (message.Attributes?.ApproximateReceiveCount === '1') {
        refused.add(1, { channel: 'sqs', reason: 'malformed' });
        logger.warn(
          `SQS message ${message.MessageId} on ${queue.url} is not JSON; left to the queue's redrive policy`,
        );
      }
      return false;
    }
    await events.publish({ topic: queue.topic, eventPayload });
    return true;
  };
  // A message is deleted once its event is handled (a subscriber such as the
  // registry's sync returns when the sync it asked for is done), so none is
  // lost to a crash. The messages of a batch are published together, and up to
  // BATCHES_IN_FLIGHT batches at once, so that events of one account waiting
  // on its sync coalesce into that sync: one at a time, a team registering
  // 10,000 versions held every other account's events for half an hour.
  const settle = async (messages: Message[]) => {
    const published = await Promise.all(messages.map(publishable));
    const done = messages.filter((_, i) => published[i]);
    if (done.length > 0) await deleteMessages(sqs, queue, done, logger);
  };
  const inFlight = new Set<Promise<void>>();
  while (!signal.aborted) {
    try {
      const messages = await receive(sqs, queue, signal);
      if (messages.length === 0) {
        await new Promise(r => setTimeout(r, queue.waitAfterEmptyReceiveMs));
        continue;
      }
      const batch: Promise<void> = settle(messages)
        .catch(e =>
          logger.error(`Failed to publish events from SQS ${queue.url}: ${e}`),
        )
        .finally(() => inFlight.delete(batch));
      inFlight.add(batch);
      if (inFlight.size >= BATCHES_IN_FLIGHT) await Promise.race(inFlight);
    } catch (e) {
      if (signal.aborted) return;
      logger.error(`Failed to receive events from SQS ${queue.url}: ${e}`);
      await new Promise(r => setTimeout(r, queue.waitAfterEmptyReceiveMs));
    }
  }
}

/**
 * Publishes the messages of SQS queues on events topics, configured as the AWS
 * SQS events module is (`events.modules.awsSqs.awsSqsConsumingEventPublisher`),
 * in its place: a message that cannot be parsed no longer holds back the others.
 *
 * @public
 */
export const sqsEventsModule = createBackendModule({
  pluginId: 'events',
  moduleId: 'aws-sqs-per-message',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        events: eventsServiceRef,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({ config, events, logger, lifecycle }) {
        const queues = readQueues(config);
        const stop = new AbortController();
        lifecycle.addStartupHook(() => {
          for (const queue of queues)
            void consume(queue, events, logger, stop.signal);
        });
        lifecycle.addShutdownHook(() => stop.abort());
      },
    });
  },
});
