import {
  ListRulesCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { UpdateModelPackageCommand } from '@aws-sdk/client-sagemaker';
import {
  CreateQueueCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import {
  clients,
  FRAUD_DEV,
  PROD,
  TOOLING,
  useSandbox,
} from '../__testUtils__/clients';

const GOVERNANCE = '555555555555';

describe('EventBridge', () => {
  const sandbox = useSandbox();

  it('lists only the rules whose name starts with NamePrefix', async () => {
    const { events } = clients(sandbox.current, PROD);
    const pattern = JSON.stringify({ source: ['custom.listing'] });
    for (const Name of ['listing-a', 'listing-b', 'other-listing'])
      await events.send(new PutRuleCommand({ Name, EventPattern: pattern }));
    const { Rules = [] } = await events.send(
      new ListRulesCommand({ NamePrefix: 'listing-' }),
    );
    expect(Rules.map(r => r.Name).sort()).toEqual(['listing-a', 'listing-b']);
  });

  it("routes a dev account's model package state change, in AWS's event JSON, to the Backstage queue", async () => {
    const { sqs } = clients(sandbox.current, TOOLING);
    const { QueueUrl } = await sqs.send(
      new GetQueueUrlCommand({ QueueName: 'ml-registry-events' }),
    );
    // The seeded deploy pipeline also reports; drain what is there.
    while (
      (
        await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: 600,
          }),
        )
      ).Messages?.length
    );

    const arn = `arn:aws:sagemaker:us-east-1:${FRAUD_DEV}:model-package/fraud-detection/3`;
    await clients(sandbox.current, FRAUD_DEV).sagemaker.send(
      new UpdateModelPackageCommand({
        ModelPackageArn: arn,
        ModelApprovalStatus: 'Approved',
      }),
    );
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }),
    );
    const event = JSON.parse(Messages![0].Body!);
    expect(event).toMatchObject({
      version: '0',
      source: 'aws.sagemaker',
      'detail-type': 'SageMaker Model Package State Change',
      account: FRAUD_DEV,
      region: 'us-east-1',
      resources: [arn],
      detail: {
        ModelPackageGroupName: 'fraud-detection',
        ModelPackageVersion: 3,
        ModelApprovalStatus: 'Approved',
        ModelPackageArn: arn,
      },
    });
    expect(event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('delivers custom events through rules and patterns, to a queue whose policy allows the rule, and refuses aws.* sources', async () => {
    const { events, sqs } = clients(sandbox.current, PROD);
    const queueArn = `arn:aws:sqs:us-east-1:${PROD}:custom`;
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'custom',
        Attributes: {
          Policy: JSON.stringify(
            queuePolicy(
              queueArn,
              `arn:aws:events:us-east-1:${PROD}:rule/gates`,
            ),
          ),
        },
      }),
    );
    await events.send(
      new PutRuleCommand({
        Name: 'gates',
        EventPattern: JSON.stringify({
          source: ['ml.gates'],
          detail: { gate: ['governance'] },
        }),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'gates',
        Targets: [{ Id: 'q', Arn: queueArn }],
      }),
    );
    // The queue's policy names the rule "gates" only: EventBridge may not deliver this one's events.
    await events.send(
      new PutRuleCommand({
        Name: 'other',
        EventPattern: JSON.stringify({ source: ['ml.gates'] }),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'other',
        Targets: [{ Id: 'q', Arn: queueArn }],
      }),
    );
    sandbox.current.core.resetCounters();
    const put = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'ml.gates',
            DetailType: 'Gate',
            Detail: JSON.stringify({ gate: 'governance' }),
          },
          {
            Source: 'ml.gates',
            DetailType: 'Gate',
            Detail: JSON.stringify({ gate: 'dev' }),
          },
          { Source: 'aws.sagemaker', DetailType: 'Spoof', Detail: '{}' },
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(1);
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    expect(Messages?.map(m => JSON.parse(m.Body!).detail.gate)).toEqual([
      'governance',
    ]);
    expect(sandbox.current.counters()['events:FailedInvocations']).toEqual({
      [PROD]: 2,
    });
  });

  it("forwards to another account's bus only as that bus's policy and the target's role allow", async () => {
    // A probe behind the Backstage account's bus, which iam/backstage-account-events.yaml opened to the ML accounts.
    const tooling = clients(sandbox.current, TOOLING);
    const probeArn = `arn:aws:sqs:us-east-1:${TOOLING}:probe`;
    const { QueueUrl } = await tooling.sqs.send(
      new CreateQueueCommand({
        QueueName: 'probe',
        Attributes: {
          Policy: JSON.stringify(
            queuePolicy(
              probeArn,
              `arn:aws:events:us-east-1:${TOOLING}:rule/probe`,
            ),
          ),
        },
      }),
    );
    await tooling.events.send(
      new PutRuleCommand({
        Name: 'probe',
        EventPattern: JSON.stringify({ source: ['ml.probe'] }),
      }),
    );
    await tooling.events.send(
      new PutTargetsCommand({
        Rule: 'probe',
        Targets: [{ Id: 'q', Arn: probeArn }],
      }),
    );

    const bus = `arn:aws:events:us-east-1:${TOOLING}:event-bus/default`;
    const forward = async (account: string, via: string, roleArn?: string) => {
      const { events } = clients(sandbox.current, account);
      await events.send(
        new PutRuleCommand({
          Name: 'probe-forward',
          EventPattern: JSON.stringify({ source: ['ml.probe'] }),
        }),
      );
      await events.send(
        new PutTargetsCommand({
          Rule: 'probe-forward',
          Targets: [{ Id: 'bus', Arn: bus, RoleArn: roleArn }],
        }),
      );
      await events.send(
        new PutEventsCommand({
          Entries: [
            {
              Source: 'ml.probe',
              DetailType: 'Probe',
              Detail: JSON.stringify({ via }),
            },
          ],
        }),
      );
    };
    sandbox.current.core.resetCounters();
    // The role iam/ml-events-forwarding.yaml made: EventBridge may assume it, and it may put events on the bus.
    await forward(
      PROD,
      'forwarding role',
      `arn:aws:iam::${PROD}:role/ml-events-to-backstage`,
    );
    // A role EventBridge may not assume (it trusts the Backstage account, not events.amazonaws.com).
    await forward(
      PROD,
      'backstage-ml role',
      `arn:aws:iam::${PROD}:role/backstage-ml`,
    );
    // No role: the bus policy names the account itself, which AWS accepts.
    await forward(PROD, 'account');
    // The data governance account is not among the bus policy's senders.
    await forward(GOVERNANCE, 'unlisted account');

    const { Messages } = await tooling.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    expect(
      Messages?.map(m => JSON.parse(m.Body!)).map(e => [
        e.account,
        e.detail.via,
      ]),
    ).toEqual([
      [PROD, 'forwarding role'],
      [PROD, 'account'],
    ]);
    expect(sandbox.current.counters()['events:FailedInvocations']).toEqual({
      [PROD]: 1,
      [GOVERNANCE]: 1,
    });
  });
});

/** A queue policy that lets EventBridge deliver one rule's events, as iam/backstage-account-events.yaml writes it. */
function queuePolicy(queueArn: string, ruleArn: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } },
      },
    ],
  };
}
