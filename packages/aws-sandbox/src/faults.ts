import { AwsError } from './errors';

/**
 * A fault applied to the requests it matches: every field left out matches
 * everything. Several faults can match one request; all apply.
 */
export interface Fault {
  account?: string;
  /** The SigV4 service name: sagemaker, codepipeline, s3, sts, sqs, events, servicecatalog. */
  service?: string;
  operation?: string;
  latencyMs?: number;
  /**
   * Requests beyond this rate get a throttling error. A token bucket, as AWS
   * throttles: bursts up to this many, refilled at this many a second.
   */
  throttlePerSecond?: number;
  accessDenied?: boolean;
  /** The account answers 503 to everything, as if its endpoint were down. */
  down?: boolean;
}

export interface FaultTarget {
  account: string;
  service: string;
  operation: string;
}

const THROTTLE_CODES: Record<string, [string, number]> = {
  s3: ['SlowDown', 503],
  sts: ['Throttling', 400],
  sqs: ['RequestThrottled', 400],
};

/** Applies the configured faults; keeps a token bucket per throttling fault and account. */
export class Faults {
  private faults: Fault[] = [];
  private buckets = new Map<Fault, Map<string, { tokens: number; at: number }>>();

  set(faults: Fault[]) {
    this.faults = faults;
    this.buckets.clear();
  }

  list(): Fault[] {
    return this.faults;
  }

  /** Waits out any latency, then throws the error a matching fault calls for. */
  async apply(target: FaultTarget): Promise<void> {
    const matching = this.faults.filter(
      f =>
        (!f.account || f.account === target.account) &&
        (!f.service || f.service === target.service) &&
        (!f.operation || f.operation === target.operation),
    );
    const latency = Math.max(0, ...matching.map(f => f.latencyMs ?? 0));
    if (latency > 0) await new Promise(r => setTimeout(r, latency));
    for (const fault of matching) {
      if (fault.down) {
        throw new AwsError('ServiceUnavailable', `Account ${target.account} is unavailable`, 503);
      }
      if (fault.accessDenied) {
        throw new AwsError(
          target.service === 's3' ? 'AccessDenied' : 'AccessDeniedException',
          `User is not authorized to perform: ${target.service}:${target.operation}`,
          403,
        );
      }
      if (fault.throttlePerSecond !== undefined) {
        const rate = fault.throttlePerSecond;
        const perAccount = this.buckets.get(fault) ?? new Map();
        this.buckets.set(fault, perAccount);
        const now = Date.now();
        const bucket = perAccount.get(target.account) ?? { tokens: rate, at: now };
        bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) / 1000) * rate);
        bucket.at = now;
        perAccount.set(target.account, bucket);
        if (bucket.tokens >= 1) {
          bucket.tokens -= 1;
        } else {
          const [code, status] = THROTTLE_CODES[target.service] ?? ['ThrottlingException', 400];
          throw new AwsError(code, 'Rate exceeded', status);
        }
      }
    }
  }
}
