import { ServiceUnavailableError } from '@backstage/errors';
import PQueue from 'p-queue';

/** Thrown when an account's reads are all taken and its queue is full; the client retries after `retryAfterSeconds`. */
export class AwsReadsBusyError extends ServiceUnavailableError {
  readonly retryAfterSeconds = 1;
}

/**
 * Bounds the AWS reads made for views, per account: at most `concurrency` at
 * once and `queue` waiting; beyond that a view is refused (503) rather than
 * spending the account's request budget, which promotions and syncs share.
 */
export class AwsReadQueue {
  private readonly queues = new Map<string, PQueue>();

  constructor(
    private readonly limits: { concurrency: number; queue: number },
  ) {}

  async run<T>(accountId: string, read: () => Promise<T>): Promise<T> {
    let queue = this.queues.get(accountId);
    if (!queue) {
      queue = new PQueue({ concurrency: this.limits.concurrency });
      this.queues.set(accountId, queue);
    }
    if (
      queue.pending >= this.limits.concurrency &&
      queue.size >= this.limits.queue
    ) {
      throw new AwsReadsBusyError(
        `Too many reads of account ${accountId} are under way; try again in a second`,
      );
    }
    return queue.add(read);
  }
}
