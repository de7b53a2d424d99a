import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  InvalidAttributeName,
  InvalidAttributeValue,
  QueueDoesNotExist,
  QueueNameExists,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { clients, PROD, TOOLING, useSandbox } from '../__testUtils__/clients';

describe('SQS', () => {
  const sandbox = useSandbox();

  it('sends, long-polls and deletes messages', async () => {
    const { sqs } = clients(sandbox.current, PROD);
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: 'work' }),
    );
    expect(
      (await sqs.send(new GetQueueUrlCommand({ QueueName: 'work' }))).QueueUrl,
    ).toBe(QueueUrl);
    const started = Date.now();
    const poll = sqs.send(
      new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }),
    );
    setTimeout(
      () =>
        sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello' })),
      200,
    );
    const { Messages } = await poll;
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(Messages?.[0].Body).toBe('hello');
    await sqs.send(
      new DeleteMessageCommand({
        QueueUrl,
        ReceiptHandle: Messages![0].ReceiptHandle,
      }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'b' }));
    const two = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }),
    );
    const batch = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: [
          ...two.Messages!.map((m, i) => ({
            Id: `m${i}`,
            ReceiptHandle: m.ReceiptHandle,
          })),
          { Id: 'stale', ReceiptHandle: 'nope' },
        ],
      }),
    );
    expect(batch.Successful?.map(s => s.Id)).toEqual(['m0', 'm1']);
    expect(batch.Failed?.map(f => [f.Id, f.Code])).toEqual([
      ['stale', 'ReceiptHandleIsInvalid'],
    ]);
    const empty = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }),
    );
    expect(empty.Messages ?? []).toEqual([]);
    const missing = await sqs
      .send(new GetQueueUrlCommand({ QueueName: 'absent' }))
      .catch(e => e);
    expect(missing).toBeInstanceOf(QueueDoesNotExist);
  });

  it("hides a received message for the queue's VisibilityTimeout, or the one ReceiveMessage asks for", async () => {
    const { sqs } = clients(sandbox.current, PROD);
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'visibility',
        Attributes: { VisibilityTimeout: '1' },
      }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'once' }));
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(first.Messages?.[0].Attributes?.ApproximateReceiveCount).toBe('1');
    expect(
      (await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages ?? [],
    ).toEqual([]);
    // Back after the queue's 1 s, within a long poll.
    const again = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        WaitTimeSeconds: 3,
        VisibilityTimeout: 0,
      }),
    );
    expect(again.Messages?.[0].Attributes?.ApproximateReceiveCount).toBe('2');
    // Received with VisibilityTimeout 0, it is visible at once.
    const third = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(third.Messages?.[0].Attributes?.ApproximateReceiveCount).toBe('3');
  });

  it('moves a message received more than maxReceiveCount times to the dead-letter queue', async () => {
    const { sqs } = clients(sandbox.current, PROD);
    const { QueueUrl: dlqUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: 'work-dlq' }),
    );
    const RedrivePolicy = JSON.stringify({
      deadLetterTargetArn: `arn:aws:sqs:us-east-1:${PROD}:work-dlq`,
      maxReceiveCount: 2,
    });
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'redriven',
        Attributes: { RedrivePolicy },
      }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'poison' }));
    for (const count of ['1', '2']) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0 }),
      );
      expect(
        Messages?.map(m => [m.Body, m.Attributes?.ApproximateReceiveCount]),
      ).toEqual([['poison', count]]);
    }
    expect(
      (await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages ?? [],
    ).toEqual([]);
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlqUrl }),
    );
    expect(Messages?.map(m => m.Body)).toEqual(['poison']);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({
      RedrivePolicy,
      VisibilityTimeout: '30',
      MessageRetentionPeriod: '345600',
    });
  });

  it('refuses attributes SQS refuses, naming them', async () => {
    const { sqs } = clients(sandbox.current, PROD);
    const refused = (QueueName: string, Attributes: Record<string, string>) =>
      sqs.send(new CreateQueueCommand({ QueueName, Attributes })).catch(e => e);
    const noDlq = await refused('orphan', {
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: `arn:aws:sqs:us-east-1:${PROD}:absent`,
        maxReceiveCount: 3,
      }),
    });
    expect(noDlq).toBeInstanceOf(InvalidAttributeValue);
    expect(noDlq.message).toContain(
      `Dead letter target does not exist: arn:aws:sqs:us-east-1:${PROD}:absent`,
    );
    // A dead-letter queue must be in the queue's own account.
    const otherAccount = await refused('orphan', {
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: `arn:aws:sqs:us-east-1:${TOOLING}:ml-registry-events-dlq`,
        maxReceiveCount: 3,
      }),
    });
    expect(otherAccount).toBeInstanceOf(InvalidAttributeValue);
    const tooMany = await refused('orphan', {
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: `arn:aws:sqs:us-east-1:${PROD}:work-dlq`,
        maxReceiveCount: 1001,
      }),
    });
    expect(tooMany.message).toContain(
      'maxReceiveCount must be an integer from 1 to 1000',
    );
    expect(
      (await refused('orphan', { VisibilityTimeout: '43201' })).message,
    ).toContain(
      'VisibilityTimeout. Reason: must be an integer from 0 to 43200',
    );
    expect(
      await refused('orphan', { MessageRetentionPeriod: '59' }),
    ).toBeInstanceOf(InvalidAttributeValue);
    expect(await refused('orphan', { FifoQueue: 'true' })).toBeInstanceOf(
      InvalidAttributeName,
    );
    await sqs.send(
      new CreateQueueCommand({
        QueueName: 'fixed',
        Attributes: { VisibilityTimeout: '10' },
      }),
    );
    await expect(
      sqs.send(
        new CreateQueueCommand({
          QueueName: 'fixed',
          Attributes: { VisibilityTimeout: '10' },
        }),
      ),
    ).resolves.toBeDefined();
    expect(await refused('fixed', { VisibilityTimeout: '20' })).toBeInstanceOf(
      QueueNameExists,
    );
  });

  it("reaches another account's queue only through its policy", async () => {
    const missing = await clients(sandbox.current, PROD)
      .sqs.send(
        new GetQueueUrlCommand({
          QueueName: 'ml-registry-events',
          QueueOwnerAWSAccountId: TOOLING,
        }),
      )
      .catch(e => e);
    expect(missing).toBeInstanceOf(QueueDoesNotExist);
  });
});
