import { ServiceUnavailableError } from '@backstage/errors';

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
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, Array<() => void>>();

  constructor(
    private readonly limits: { concurrency: number; queue: number },
  ) {}

  async run<T>(accountId: string, read: () => Promise<T>): Promise<T> {
    if ((this.active.get(accountId) ?? 0) >= this.limits.concurrency) {
      const queue = this.waiting.get(accountId) ?? [];
      if (queue.length >= this.limits.queue) {
        throw new AwsReadsBusyError(
          `Too many reads of account ${accountId} are under way; try again in a second`,
        );
      }
      await new Promise<void>(resolve => {
        queue.push(resolve);
        this.waiting.set(accountId, queue);
      });
    } else {
      this.active.set(accountId, (this.active.get(accountId) ?? 0) + 1);
    }
    try {
      return await read();
    } finally {
      // The slot passes to the next waiter as is; only when none waits is it freed.
      const next = this.waiting.get(accountId)?.shift();
      if (next) next();
      else this.active.set(accountId, this.active.get(accountId)! - 1);
    }
  }
}
