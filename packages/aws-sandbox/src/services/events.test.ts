import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { UpdateModelPackageCommand } from '@aws-sdk/client-sagemaker';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { clients, FRAUD_DEV, PROD, TOOLING, useSandbox } from '../__testUtils__/clients';

describe('EventBridge and SQS', () => {
  const sandbox = useSandbox();

  it('sends, long-polls and deletes messages', async () => {
    const { sqs } = clients(sandbox.current, PROD);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'work' }));
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'work' }))).QueueUrl).toBe(QueueUrl);
    const started = Date.now();
    const poll = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
    setTimeout(() => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello' })), 200);
    const { Messages } = await poll;
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(Messages?.[0].Body).toBe('hello');
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages![0].ReceiptHandle }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'b' }));
    const two = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    const batch = await sqs.send(new DeleteMessageBatchCommand({
      QueueUrl,
      Entries: [...two.Messages!.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle })), { Id: 'stale', ReceiptHandle: 'nope' }],
    }));
    expect(batch.Successful?.map(s => s.Id)).toEqual(['m0', 'm1']);
    expect(batch.Failed?.map(f => [f.Id, f.Code])).toEqual([['stale', 'ReceiptHandleIsInvalid']]);
    const empty = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }));
    expect(empty.Messages ?? []).toEqual([]);
    const missing = await sqs.send(new GetQueueUrlCommand({ QueueName: 'absent' })).catch(e => e);
    expect(missing).toBeInstanceOf(QueueDoesNotExist);
  });

  it("routes a dev account's model package state change, in AWS's event JSON, to the Backstage queue", async () => {
    const { sqs } = clients(sandbox.current, TOOLING);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'ml-registry-events' }));
    // The seeded deploy pipeline also reports; drain what is there.
    while ((await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }))).Messages?.length);

    const arn = `arn:aws:sagemaker:us-east-1:${FRAUD_DEV}:model-package/fraud-detection/3`;
    await clients(sandbox.current, FRAUD_DEV).sagemaker.send(new UpdateModelPackageCommand({ ModelPackageArn: arn, ModelApprovalStatus: 'Approved' }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
    const event = JSON.parse(Messages![0].Body!);
    expect(event).toMatchObject({
      version: '0',
      source: 'aws.sagemaker',
      'detail-type': 'SageMaker Model Package State Change',
      account: FRAUD_DEV,
      region: 'us-east-1',
      resources: [arn],
      detail: { ModelPackageGroupName: 'fraud-detection', ModelPackageVersion: 3, ModelApprovalStatus: 'Approved', ModelPackageArn: arn },
    });
    expect(event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('delivers custom events through rules and patterns, and refuses aws.* sources', async () => {
    const { events, sqs } = clients(sandbox.current, PROD);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'custom' }));
    await events.send(new PutRuleCommand({ Name: 'gates', EventPattern: JSON.stringify({ source: ['ml.gates'], detail: { gate: ['governance'] } }) }));
    await events.send(new PutTargetsCommand({ Rule: 'gates', Targets: [{ Id: 'q', Arn: `arn:aws:sqs:us-east-1:${PROD}:custom` }] }));
    const put = await events.send(new PutEventsCommand({ Entries: [
      { Source: 'ml.gates', DetailType: 'Gate', Detail: JSON.stringify({ gate: 'governance' }) },
      { Source: 'ml.gates', DetailType: 'Gate', Detail: JSON.stringify({ gate: 'dev' }) },
      { Source: 'aws.sagemaker', DetailType: 'Spoof', Detail: '{}' },
    ] }));
    expect(put.FailedEntryCount).toBe(1);
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect(Messages?.map(m => JSON.parse(m.Body!).detail.gate)).toEqual(['governance']);
  });
});
