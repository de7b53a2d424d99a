import pThrottle from 'p-throttle';

/**
 * At most `perSecond` requests in any one second, callers waiting their turn
 * instead of failing. p-throttle's strict mode holds that over a sliding
 * second: after an idle spell a burst of 30 at 10 a second got 10 through in
 * its busiest second, where a token bucket refilling at the rate let 19
 * through, twice the account's budget.
 */
export class RateLimiter {
  private readonly turn: () => Promise<void>;

  constructor(perSecond: number) {
    this.turn = pThrottle({ limit: perSecond, interval: 1000, strict: true })(
      () => undefined,
    );
  }

  /** Resolves when the caller may send one request. */
  take(): Promise<void> {
    return this.turn();
  }
}
