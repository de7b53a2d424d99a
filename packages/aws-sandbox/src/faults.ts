import type { Socket } from 'node:net';
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
  /**
   * Requests signed with STS-issued session credentials are refused as once
   * those credentials have expired; long-term keys still work.
   */
  expiredCredentials?: boolean;
  /** The service fails the request itself: 500 InternalFailure or 503 ServiceUnavailable. */
  serverError?: 500 | 503;
  /**
   * The request is read and never answered: the connection is dropped after
   * this many milliseconds, unless the client has given up before.
   */
  timeoutMs?: number;
  /** The connection is dropped as soon as the request is read, as by a refusing endpoint. */
  connectionRefused?: boolean;
}

export interface FaultTarget {
  account: string;
  service: string;
  operation: string;
  /** Whether the request is signed with STS-issued session credentials. */
  session: boolean;
  /** The request's connection, which the connection faults drop. */
  socket: Socket;
}

/** The request's connection was dropped on purpose: there is nothing to answer. */
export class DroppedConnection extends Error {}

const THROTTLE_CODES: Record<string, [string, number]> = {
  s3: ['SlowDown', 503],
  sts: ['Throttling', 400],
  sqs: ['RequestThrottled', 400],
};

/**
 * The errors common to all services
 * (https://docs.aws.amazon.com/awsconsolehelpdocs/latest/gsg/common-errors.html),
 * and S3's own (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList).
 */
const EXPIRED_CODES: Record<string, [string, number]> = {
  s3: ['ExpiredToken', 400],
  sts: ['ExpiredTokenException', 400],
};
const SERVER_ERROR_CODES: Record<500 | 503, Record<string, string>> = {
  500: { s3: 'InternalError', default: 'InternalFailure' },
  503: { s3: 'ServiceUnavailable', default: 'ServiceUnavailable' },
};

const FAULT_FIELDS = new Set([
  'account',
  'service',
  'operation',
  'latencyMs',
  'throttlePerSecond',
  'accessDenied',
  'down',
  'expiredCredentials',
  'serverError',
  'timeoutMs',
  'connectionRefused',
]);

/** Refuses a fault list that would silently do nothing: an unknown field or a bad value. */
export function checkFaults(faults: unknown): asserts faults is Fault[] {
  if (!Array.isArray(faults)) throw new Error('faults must be a JSON list');
  faults.forEach((fault, i) => {
    if (typeof fault !== 'object' || fault === null)
      throw new Error(`fault ${i} must be an object`);
    const unknown = Object.keys(fault).filter(k => !FAULT_FIELDS.has(k));
    if (unknown.length)
      throw new Error(
        `fault ${i} has unknown field ${unknown.join(', ')} (known: ${[
          ...FAULT_FIELDS,
        ].join(', ')})`,
      );
    if (
      fault.serverError !== undefined &&
      fault.serverError !== 500 &&
      fault.serverError !== 503
    ) {
      throw new Error(
        `fault ${i}: serverError must be 500 or 503, got ${JSON.stringify(
          fault.serverError,
        )}`,
      );
    }
    for (const key of ['latencyMs', 'throttlePerSecond', 'timeoutMs']) {
      if (
        fault[key] !== undefined &&
        !(typeof fault[key] === 'number' && fault[key] >= 0)
      ) {
        throw new Error(
          `fault ${i}: ${key} must be a number of at least 0, got ${JSON.stringify(
            fault[key],
          )}`,
        );
      }
    }
  });
}

/** Applies the configured faults; keeps a token bucket per throttling fault and account. */
export class Faults {
  private faults: Fault[] = [];
  private buckets = new Map<
    Fault,
    Map<string, { tokens: number; at: number }>
  >();

  set(faults: Fault[]) {
    checkFaults(faults);
    this.faults = faults;
    this.buckets.clear();
  }

  list(): Fault[] {
    return this.faults;
  }

  /** Waits out any latency, then throws the error a matching fault calls for, or drops the connection. */
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
      if (fault.connectionRefused) this.drop(target.socket);
      if (fault.timeoutMs !== undefined) {
        await new Promise(resolve => {
          const timer = setTimeout(resolve, fault.timeoutMs);
          // A client that gives up first closes the connection: nothing is left to wait for.
          target.socket.once('close', () => {
            clearTimeout(timer);
            resolve(undefined);
          });
        });
        this.drop(target.socket);
      }
      if (fault.down) {
        throw new AwsError(
          'ServiceUnavailable',
          `Account ${target.account} is unavailable`,
          503,
        );
      }
      if (fault.serverError) {
        const codes = SERVER_ERROR_CODES[fault.serverError];
        throw new AwsError(
          codes[target.service] ?? codes.default,
          'We encountered an internal error. Please try again.',
          fault.serverError,
        );
      }
      if (fault.expiredCredentials && target.session) {
        const [code, status] = EXPIRED_CODES[target.service] ?? [
          'ExpiredTokenException',
          403,
        ];
        throw new AwsError(
          code,
          'The security token included in the request is expired',
          status,
        );
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
        const bucket = perAccount.get(target.account) ?? {
          tokens: rate,
          at: now,
        };
        bucket.tokens = Math.min(
          rate,
          bucket.tokens + ((now - bucket.at) / 1000) * rate,
        );
        bucket.at = now;
        perAccount.set(target.account, bucket);
        if (bucket.tokens >= 1) {
          bucket.tokens -= 1;
        } else {
          const [code, status] = THROTTLE_CODES[target.service] ?? [
            'ThrottlingException',
            400,
          ];
          throw new AwsError(code, 'Rate exceeded', status);
        }
      }
    }
  }

  private drop(socket: Socket): never {
    socket.destroy();
    throw new DroppedConnection('the connection was dropped by a fault');
  }
}
