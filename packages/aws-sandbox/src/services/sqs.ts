import crypto from 'node:crypto';
import { OperationTable, RequestContext } from '../context';
import { AwsError, validation } from '../errors';
import { nowSeconds, Queue } from '../state';
import { num, str } from '../validate';

const QUEUE_NAME = /^[a-zA-Z0-9_-]{1,80}(\.fifo)?$/;

/** Queues are addressed by URL: <sandbox>/<account>/<name>. */
function queueOf(ctx: RequestContext, url: string): Queue {
  const [accountId, name] = new URL(url, ctx.core.url).pathname.split('/').filter(Boolean);
  const queue = ctx.core.state.accounts[accountId]?.queues[name];
  if (!queue || (accountId !== ctx.caller.accountId && !queue.attributes.Policy?.includes(ctx.caller.accountId))) {
    throw new AwsError('QueueDoesNotExist', 'The specified queue does not exist.');
  }
  return queue;
}

function md5(text: string) {
  return crypto.createHash('md5').update(text).digest('hex');
}

/** Waits (long polling) until a message is visible or the wait is over. */
async function receive(ctx: RequestContext, queue: Queue, max: number, waitSeconds: number, visibility: number) {
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    const now = nowSeconds();
    const visible = queue.messages.filter(m => m.visibleAt <= now).slice(0, max);
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
  if (index < 0) throw new AwsError('ReceiptHandleIsInvalid', `The receipt handle "${handle}" is not valid.`);
  queue.messages.splice(index, 1);
}

export const sqsOperations: OperationTable = {
  CreateQueue(input, ctx) {
    const name = str(input, 'QueueName', QUEUE_NAME);
    const existing = ctx.account.queues[name];
    if (!existing) {
      ctx.account.queues[name] = {
        name,
        arn: `arn:aws:sqs:${ctx.core.region}:${ctx.account.id}:${name}`,
        url: `${ctx.core.url}/${ctx.account.id}/${name}`,
        attributes: { VisibilityTimeout: '30', ...(input.Attributes ?? {}) },
        messages: [],
      };
      ctx.core.changed();
    }
    return { QueueUrl: ctx.account.queues[name].url };
  },

  GetQueueUrl(input, ctx) {
    const name = str(input, 'QueueName', QUEUE_NAME);
    const owner = input.QueueOwnerAWSAccountId ?? ctx.account.id;
    return { QueueUrl: queueOf(ctx, `/${owner}/${name}`).url };
  },

  GetQueueAttributes(input, ctx) {
    const queue = queueOf(ctx, str(input, 'QueueUrl'));
    return {
      Attributes: {
        ...queue.attributes,
        QueueArn: queue.arn,
        ApproximateNumberOfMessages: String(queue.messages.filter(m => m.visibleAt <= nowSeconds()).length),
      },
    };
  },

  SendMessage(input, ctx) {
    const queue = queueOf(ctx, str(input, 'QueueUrl'));
    const body = str(input, 'MessageBody');
    if (Buffer.byteLength(body) > 262144) throw validation('MessageBody must be at most 256 KiB');
    const id = crypto.randomUUID();
    queue.messages.push({ id, body, visibleAt: nowSeconds() + (input.DelaySeconds ?? 0), receiveCount: 0, sentAt: nowSeconds() });
    ctx.core.changed();
    return { MessageId: id, MD5OfMessageBody: md5(body) };
  },

  async ReceiveMessage(input, ctx) {
    const queue = queueOf(ctx, str(input, 'QueueUrl'));
    const max = num(input, 'MaxNumberOfMessages', 1, 10, 1);
    const wait = num(input, 'WaitTimeSeconds', 0, 20, 0);
    const visibility = num(input, 'VisibilityTimeout', 0, 43200, Number(queue.attributes.VisibilityTimeout ?? 30));
    const messages = await receive(ctx, queue, max, wait, visibility);
    return {
      Messages: messages.map(m => ({
        MessageId: m.id,
        ReceiptHandle: m.receiptHandle,
        MD5OfBody: md5(m.body),
        Body: m.body,
        Attributes: { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(Math.floor(m.sentAt * 1000)) },
      })),
    };
  },

  DeleteMessage(input, ctx) {
    deleteMessage(queueOf(ctx, str(input, 'QueueUrl')), str(input, 'ReceiptHandle'));
    ctx.core.changed();
    return {};
  },

  DeleteMessageBatch(input, ctx) {
    const queue = queueOf(ctx, str(input, 'QueueUrl'));
    if (!Array.isArray(input.Entries) || input.Entries.length === 0 || input.Entries.length > 10) {
      throw new AwsError('EmptyBatchRequest', 'Entries must hold 1 to 10 entries');
    }
    const Successful: { Id: string }[] = [];
    const Failed: { Id: string; Code: string; Message: string; SenderFault: boolean }[] = [];
    for (const entry of input.Entries) {
      try {
        deleteMessage(queue, str(entry, 'ReceiptHandle'));
        Successful.push({ Id: entry.Id });
      } catch (e: any) {
        Failed.push({ Id: entry.Id, Code: e.code ?? 'InternalError', Message: e.message, SenderFault: true });
      }
    }
    ctx.core.changed();
    return { Successful, Failed };
  },
};
