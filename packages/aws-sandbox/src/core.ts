import crypto from 'node:crypto';
import { AwsError } from './errors';
import { matchesPattern } from './eventPattern';
import { Faults } from './faults';
import { saveState } from './persistence';
import { AccountState, nowSeconds, SandboxState } from './state';

export interface SandboxEvent {
  source: string;
  detailType: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/**
 * The sandbox's shared machinery: state, ids and ARNs, persistence, events,
 * simulated time, faults and request counters. Services are plain functions
 * over it.
 */
export class SandboxCore {
  readonly faults = new Faults();
  private readonly requestCounts = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private saveTimer?: NodeJS.Timeout;
  url = '';

  constructor(
    readonly state: SandboxState,
    /** How long one simulated step takes: seconds in demos, milliseconds in tests. */
    readonly stepMs: number,
    private readonly stateFile?: string,
  ) {}

  get region() {
    return this.state.region;
  }

  account(id: string): AccountState {
    const account = this.state.accounts[id];
    if (!account) {
      throw new AwsError('ValidationException', `Account ${id} does not exist in this sandbox`);
    }
    return account;
  }

  nextSequence(): number {
    this.state.sequence += 1;
    return this.state.sequence;
  }

  randomId(length = 12): string {
    return crypto.randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length);
  }

  arn(service: string, accountId: string, resource: string): string {
    return `arn:aws:${service}:${this.region}:${accountId}:${resource}`;
  }

  /** Marks the state changed; it is written (atomically) shortly after. */
  changed() {
    if (!this.stateFile || this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.flush(), 50);
  }

  flush() {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (this.stateFile) saveState(this.stateFile, this.state);
  }

  count(service: string, operation: string, account: string) {
    const key = `${service}:${operation}\u0000${account}`;
    this.requestCounts.set(key, (this.requestCounts.get(key) ?? 0) + 1);
  }

  /** Requests served, by `service:Operation` and then by account. */
  counters(): Record<string, Record<string, number>> {
    const result: Record<string, Record<string, number>> = {};
    for (const [key, n] of this.requestCounts) {
      const [operation, account] = key.split('\u0000');
      (result[operation] ??= {})[account] = n;
    }
    return result;
  }

  resetCounters() {
    this.requestCounts.clear();
  }

  /** Runs `fn` after `steps` simulated steps. */
  later(steps: number, fn: () => void) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        fn();
        this.changed();
      } catch (e) {
        console.error('aws-sandbox: simulation step failed', e);
      }
    }, steps * this.stepMs);
    this.timers.add(timer);
  }

  /**
   * Puts an event on an account's default bus, in the JSON EventBridge
   * delivers, and routes it through that account's rules.
   */
  emit(accountId: string, event: SandboxEvent) {
    this.route(accountId, {
      version: '0',
      id: crypto.randomUUID(),
      'detail-type': event.detailType,
      source: event.source,
      account: accountId,
      time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.region,
      resources: event.resources,
      detail: event.detail,
    }, 0);
  }

  /** Routes an event through the rules of the bus's account. */
  route(busAccountId: string, event: Record<string, any>, hops: number) {
    const account = this.state.accounts[busAccountId];
    if (!account || hops > 2) return;
    for (const rule of Object.values(account.rules)) {
      if (rule.state !== 'ENABLED' || !matchesPattern(JSON.parse(rule.eventPattern), event)) {
        continue;
      }
      for (const target of rule.targets) {
        this.deliver(target.Arn, event, hops);
      }
    }
    this.changed();
  }

  private deliver(targetArn: string, event: Record<string, any>, hops: number) {
    const [, , service, , accountId, resource] = targetArn.split(':');
    if (service === 'sqs') {
      const queue = this.state.accounts[accountId]?.queues[resource];
      queue?.messages.push({
        id: crypto.randomUUID(),
        body: JSON.stringify(event),
        visibleAt: 0,
        receiveCount: 0,
        sentAt: nowSeconds(),
      });
    } else if (service === 'events' && resource.startsWith('event-bus/')) {
      this.route(accountId, event, hops + 1);
    }
  }

  close() {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.flush();
  }
}
