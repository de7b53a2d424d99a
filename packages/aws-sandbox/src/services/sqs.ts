import crypto from 'node:crypto';
import type { ResourceTypeTable } from '../cloudFormation';
import { OperationTable, RequestContext } from '../context';
import type { SandboxCore } from '../core';
import { AwsError, validation } from '../errors';
import { resourcePolicyAllows } from '../policy';
import { nowSeconds, Queue } from '../state';
import { num, str } from '../validate';

const QUEUE_NAME = /^[a-zA-Z0-9_-]{1,80}(\.fifo)?$/;
const QUEUE_ARN = /^arn:aws:sqs:([a-z0-9-]+):(\d{12}):([a-zA-Z0-9_-]{1,80})$/;
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
const DEFAULT_ATTRIBUTES = {
  VisibilityTimeout: '30',
  MessageRetentionPeriod: '345600',
  DelaySeconds: '0',
  ReceiveMessageWaitTimeSeconds: '0',
};
const NUMERIC_ATTRIBUTES: Record<string, [number, number]> = {
  VisibilityTimeout: [0, 43200],
  MessageRetentionPeriod: [60, 1209600],
  DelaySeconds: [0, 900],
  ReceiveMessageWaitTimeSeconds: [0, 20],
};
/** Attributes SQS defines that the sandbox does not simulate: refused rather than ignored. */
const UNSIMULATED_ATTRIBUTES = [
  'MaximumMessageSize',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
];

/** Queues are addressed by URL: <sandbox>/<account>/<name>. */
function queueOf(ctx: RequestContext, url: string, action: string): Queue {
  const [accountId, name] = new URL(url, ctx.core.url).pathname
    .split('/')
    .filter(Boolean);
  const queue = ctx.core.state.accounts[accountId]?.queues[name];
  const allowed =
    accountId === ctx.caller.accountId ||
    resourcePolicyAllows(queue?.attributes.Policy, {
      principal: { arn: ctx.caller.arn, account: ctx.caller.accountId },
      action,
      resource: queue?.arn,
    });
  if (!queue || !allowed)
    throw new AwsError(
      'QueueDoesNotExist',
      'The specified queue does not exist.',
    );
  return queue;
}

function invalidAttribute(name: string, why: string) {
  return new AwsError(
    'InvalidAttributeValue',
    `Invalid value for the parameter ${name}. Reason: ${why}`,
  );
}

/** A redrive policy's keys, its receive count, and a dead-letter queue of the same account and Region. */
function checkRedrivePolicy(
  core: SandboxCore,
  accountId: string,
  value: string,
) {
  const name = 'RedrivePolicy';
  let policy: any;
  try {
    policy = JSON.parse(value);
  } catch {
    throw invalidAttribute(name, 'the redrive policy is not valid JSON.');
  }
  const unknown = Object.keys(policy ?? {}).filter(
    k => k !== 'deadLetterTargetArn' && k !== 'maxReceiveCount',
  );
  if (unknown.length)
    throw invalidAttribute(name, `unknown key ${unknown.join(', ')}.`);
  const count = Number(policy?.maxReceiveCount);
  if (!Number.isInteger(count) || count < 1 || count > 1000)
    throw invalidAttribute(
      name,
      'maxReceiveCount must be an integer from 1 to 1000.',
    );
  const [, region, dlqAccount, dlqName] =
    QUEUE_ARN.exec(String(policy.deadLetterTargetArn)) ?? [];
  if (
    region !== core.region ||
    dlqAccount !== accountId ||
    !core.state.accounts[accountId].queues[dlqName]
  ) {
    throw invalidAttribute(
      name,
      `Dead letter target does not exist: ${policy.deadLetterTargetArn} (it must be a queue of the same account and Region).`,
    );
  }
}

/**
 * Checks queue attributes as SQS does, and the redrive policy's dead-letter
 * queue, which must exist in the queue's account and Region
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html).
 */
function checkedAttributes(
  core: SandboxCore,
  accountId: string,
  attributes: Record<string, unknown>,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, raw] of Object.entries(attributes)) {
    const value = typeof raw === 'string' ? raw : JSON.stringify(raw);
    if (UNSIMULATED_ATTRIBUTES.includes(name))
      throw new AwsError(
        'InvalidAttributeName',
        `The sandbox does not simulate the queue attribute ${name}.`,
      );
    if (NUMERIC_ATTRIBUTES[name]) {
      const [min, max] = NUMERIC_ATTRIBUTES[name];
      if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
        throw invalidAttribute(
          name,
          `must be an integer from ${min} to ${max}.`,
        );
    } else if (name === 'Policy') {
      try {
        JSON.parse(value);
      } catch {
        throw invalidAttribute(name, 'the policy is not valid JSON.');
      }
    } else if (name === 'RedrivePolicy') {
      checkRedrivePolicy(core, accountId, value);
    } else {
      throw new AwsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    }
    result[name] = value;
  }
  return result;
}

function createQueue(
  core: SandboxCore,
  accountId: string,
  name: string,
  attributes: Record<string, unknown>,
): Queue {
  const account = core.account(accountId);
  const checked = checkedAttributes(core, accountId, attributes);
  account.queues[name] ??= {
    name,
    arn: `arn:aws:sqs:${core.region}:${accountId}:${name}`,
    url: `${core.url}/${accountId}/${name}`,
    attributes: { ...DEFAULT_ATTRIBUTES },
    messages: [],
  };
  Object.assign(account.queues[name].attributes, checked);
  core.changed();
  return account.queues[name];
}

/** Puts a message on a queue, as SendMessage and EventBridge deliveries do. */
export function enqueue(
  core: SandboxCore,
  queue: Queue,
  body: string,
  delaySeconds = Number(queue.attributes.DelaySeconds ?? 0),
) {
  const id = crypto.randomUUID();
  queue.messages.push({
    id,
    body,
    visibleAt: nowSeconds() + delaySeconds,
    receiveCount: 0,
    sentAt: nowSeconds(),
  });
  core.changed();
  return id;
}

/**
 * Whether EventBridge may deliver a rule's event to the queue: its policy
 * must allow events.amazonaws.com to sqs:SendMessage, with the rule as
 * aws:SourceArn when the policy says so
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions).
 */
export function queueAcceptsRule(
  queue: Queue,
  ruleArn: string,
  ruleAccount: string,
) {
  return resourcePolicyAllows(queue.attributes.Policy, {
    principal: { service: 'events.amazonaws.com' },
    action: 'sqs:SendMessage',
    resource: queue.arn,
    context: { 'aws:SourceArn': ruleArn, 'aws:SourceAccount': ruleAccount },
  });
}

function md5(text: string) {
  return crypto.createHash('md5').update(text).digest('hex');
}

/**
 * Drops messages past the queue's MessageRetentionPeriod, and moves to the
 * dead-letter queue those received more than the redrive policy's
 * maxReceiveCount times, instead of delivering them again
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html).
 */
function sweep(core: SandboxCore, queue: Queue, now: number) {
  const retention = Number(
    queue.attributes.MessageRetentionPeriod ??
      DEFAULT_ATTRIBUTES.MessageRetentionPeriod,
  );
  const redrive = queue.attributes.RedrivePolicy
    ? JSON.parse(queue.attributes.RedrivePolicy)
    : undefined;
  const [, , dlqAccount, dlqName] = redrive
    ? QUEUE_ARN.exec(redrive.deadLetterTargetArn) ?? []
    : [];
  const dlq = dlqName
    ? core.state.accounts[dlqAccount]?.queues[dlqName]
    : undefined;
  queue.messages = queue.messages.filter(m => {
    if (m.sentAt + retention <= now) return false;
    if (
      !dlq ||
      m.visibleAt > now ||
      m.receiveCount < Number(redrive.maxReceiveCount)
    )
      return true;
    dlq.messages.push({
      ...m,
      receiptHandle: undefined,
      receiveCount: 0,
      visibleAt: now,
    });
    return false;
  });
}

/** Waits (long polling) until a message is visible or the wait is over. */
async function receive(
  ctx: RequestContext,
  queue: Queue,
  max: number,
  waitSeconds: number,
  visibility: number,
) {
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    const now = nowSeconds();
    sweep(ctx.core, queue, now);
    const visible = queue.messages
      .filter(m => m.visibleAt <= now)
      .slice(0, max);
    if (visible.length > 0 || Date.now() >= deadline) {
      for (const m of visible) {
        m.receiptHandle = crypto.randomBytes(24).toString('base64url');
        m.visibleAt = now + visibility;
        m.receiveCount += 1;
      }
      ctx.core.changed();
      return visible;
    }
    await new Promise(r => setTimeout(r, 50));
  }
}

function deleteMessage(queue: Queue, handle: string) {
  const index = queue.messages.findIndex(m => m.receiptHandle === handle);
  if (index < 0)
    throw new AwsError(
      'ReceiptHandleIsInvalid',
      `The receipt handle "${handle}" is not valid.`,
    );
  queue.messages.splice(index, 1);
}

export const sqsOperations: OperationTable = {
  CreateQueue(input, ctx) {
    const name = str(input, 'QueueName', QUEUE_NAME);
    const existing = ctx.account.queues[name];
    const differing = Object.entries<string>(input.Attributes ?? {}).find(
      ([k, v]) => existing && existing.attributes[k] !== v,
    );
    if (differing)
      throw new AwsError(
        'QueueNameExists',
        `A queue already exists with the same name and a different value for attribute ${differing[0]}`,
      );
    return {
      QueueUrl: createQueue(
        ctx.core,
        ctx.account.id,
        name,
        input.Attributes ?? {},
      ).url,
    };
  },

  GetQueueUrl(input, ctx) {
    const name = str(input, 'QueueName', QUEUE_NAME);
    const owner = input.QueueOwnerAWSAccountId ?? ctx.account.id;
    return {
      QueueUrl: queueOf(ctx, `/${owner}/${name}`, 'sqs:GetQueueUrl').url,
    };
  },

  GetQueueAttributes(input, ctx) {
    const queue = queueOf(
      ctx,
      str(input, 'QueueUrl'),
      'sqs:GetQueueAttributes',
    );
    return {
      Attributes: {
        ...queue.attributes,
        QueueArn: queue.arn,
        ApproximateNumberOfMessages: String(
          queue.messages.filter(m => m.visibleAt <= nowSeconds()).length,
        ),
        // In flight: received, neither deleted nor past their visibility timeout
        // (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-resources-required-process-messages.html).
        ApproximateNumberOfMessagesNotVisible: String(
          queue.messages.filter(
            m => m.receiveCount > 0 && m.visibleAt > nowSeconds(),
          ).length,
        ),
      },
    };
  },

  SendMessage(input, ctx) {
    const queue = queueOf(ctx, str(input, 'QueueUrl'), 'sqs:SendMessage');
    const body = str(input, 'MessageBody');
    if (Buffer.byteLength(body) > 262144)
      throw validation('MessageBody must be at most 256 KiB');
    const id = enqueue(
      ctx.core,
      queue,
      body,
      num(
        input,
        'DelaySeconds',
        0,
        900,
        Number(queue.attributes.DelaySeconds ?? 0),
      ),
    );
    return { MessageId: id, MD5OfMessageBody: md5(body) };
  },

  async ReceiveMessage(input, ctx) {
    const queue = queueOf(ctx, str(input, 'QueueUrl'), 'sqs:ReceiveMessage');
    const max = num(input, 'MaxNumberOfMessages', 1, 10, 1);
    const wait = num(
      input,
      'WaitTimeSeconds',
      0,
      20,
      Number(queue.attributes.ReceiveMessageWaitTimeSeconds ?? 0),
    );
    const visibility = num(
      input,
      'VisibilityTimeout',
      0,
      43200,
      Number(queue.attributes.VisibilityTimeout ?? 30),
    );
    const messages = await receive(ctx, queue, max, wait, visibility);
    return {
      Messages: messages.map(m => ({
        MessageId: m.id,
        ReceiptHandle: m.receiptHandle,
        MD5OfBody: md5(m.body),
        Body: m.body,
        Attributes: {
          ApproximateReceiveCount: String(m.receiveCount),
          SentTimestamp: String(Math.floor(m.sentAt * 1000)),
        },
      })),
    };
  },

  DeleteMessage(input, ctx) {
    deleteMessage(
      queueOf(ctx, str(input, 'QueueUrl'), 'sqs:DeleteMessage'),
      str(input, 'ReceiptHandle'),
    );
    ctx.core.changed();
    return {};
  },

  DeleteMessageBatch(input, ctx) {
    const queue = queueOf(
      ctx,
      str(input, 'QueueUrl'),
      'sqs:DeleteMessageBatch',
    );
    if (
      !Array.isArray(input.Entries) ||
      input.Entries.length === 0 ||
      input.Entries.length > 10
    ) {
      throw new AwsError(
        'EmptyBatchRequest',
        'Entries must hold 1 to 10 entries',
      );
    }
    const Successful: { Id: string }[] = [];
    const Failed: {
      Id: string;
      Code: string;
      Message: string;
      SenderFault: boolean;
    }[] = [];
    for (const entry of input.Entries) {
      try {
        deleteMessage(queue, str(entry, 'ReceiptHandle'));
        Successful.push({ Id: entry.Id });
      } catch (e: any) {
        Failed.push({
          Id: entry.Id,
          Code: e.code ?? 'InternalError',
          Message: e.message,
          SenderFault: true,
        });
      }
    }
    ctx.core.changed();
    return { Successful, Failed };
  },
};

/** The queue a CloudFormation property names by URL, in the stack's account. */
function queueByUrl(
  core: SandboxCore,
  accountId: string,
  url: string,
): Queue | undefined {
  const [owner, name] = new URL(url, core.url).pathname
    .split('/')
    .filter(Boolean);
  return owner === accountId
    ? core.state.accounts[accountId]?.queues[name]
    : undefined;
}

/** SQS queues and queue policies as CloudFormation creates them. */
export const sqsResourceTypes: ResourceTypeTable = {
  'AWS::SQS::Queue': {
    reference:
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sqs-queue.html',
    properties: {
      ContentBasedDeduplication: false,
      DeduplicationScope: false,
      DelaySeconds: false,
      FifoQueue: false,
      FifoThroughputLimit: false,
      KmsDataKeyReusePeriodSeconds: false,
      KmsMasterKeyId: false,
      MaximumMessageSize: false,
      MessageRetentionPeriod: false,
      QueueName: false,
      ReceiveMessageWaitTimeSeconds: false,
      RedriveAllowPolicy: false,
      RedrivePolicy: false,
      SqsManagedSseEnabled: false,
      Tags: false,
      VisibilityTimeout: false,
    },
    unsupported: ['Tags'],
    apply(
      { QueueName, ...attributes },
      { core, accountId, stackName, logicalId },
    ) {
      const name =
        QueueName ??
        `${stackName}-${logicalId}-${core.randomId(12).toUpperCase()}`;
      if (!QUEUE_NAME.test(name))
        throw new Error(
          `QueueName ${name} must be 1 to 80 letters, digits, - or _`,
        );
      // A stack update sets the attributes of the queue it made.
      const { url, arn } = createQueue(core, accountId, name, attributes);
      return {
        ref: url,
        attributes: { Arn: arn, QueueName: name, QueueUrl: url },
      };
    },
  },
  'AWS::SQS::QueuePolicy': {
    reference:
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sqs-queuepolicy.html',
    properties: { PolicyDocument: true, Queues: true },
    apply(
      { PolicyDocument, Queues },
      { core, accountId, stackName, logicalId },
    ) {
      for (const url of [].concat(Queues)) {
        const queue = queueByUrl(core, accountId, url);
        if (!queue)
          throw new Error(
            `Queues: ${url} is not a queue of account ${accountId}`,
          );
        Object.assign(
          queue.attributes,
          checkedAttributes(core, accountId, { Policy: PolicyDocument }),
        );
      }
      return { ref: `${stackName}-${logicalId}` };
    },
  },
};
