import crypto from 'node:crypto';
import { AwsError } from './errors';
import { matchesPattern } from './eventPattern';
import { Faults } from './faults';
import { saveState } from './persistence';
import { identityPolicyAllows, resourcePolicyAllows } from './policy';
import { failInterruptedBuilds } from './services/codebuild';
import {
  recoverPipelineExecutions,
  runScheduledAction,
  startPipelineFromRule,
} from './services/codepipeline';
import { eventBusPolicy } from './services/events';
import { runScheduledStep } from './services/sagemaker/pipelines';
import {
  createProjectStack,
  domainDeleted,
  domainInService,
} from './services/sagemaker/studio';
import { completeProvisioning } from './services/servicecatalog';
import { enqueue, queueAcceptsRule } from './services/sqs';
import {
  AccountState,
  Json,
  roleOf,
  Rule,
  SandboxState,
  ScheduledStep,
} from './state';

export interface SandboxEvent {
  source: string;
  detailType: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** The tasks a scheduled step can run, by the name kept in the state. */
const TASKS: Record<string, (core: SandboxCore, args: Json) => void> = {
  'codepipeline:action': runScheduledAction,
  'sagemaker:pipeline-step': runScheduledStep,
  'sagemaker:project-stack': createProjectStack,
  'sagemaker:domain-in-service': domainInService,
  'sagemaker:domain-deleted': domainDeleted,
  'servicecatalog:provisioned': completeProvisioning,
};

/**
 * The sandbox's shared machinery: state, ids and ARNs, persistence, events,
 * simulated time, faults and request counters. Services are plain functions
 * over it.
 */
export class SandboxCore {
  readonly faults = new Faults();
  /** Aborted when the sandbox closes, so work in flight outside timers (CodeBuild builds) stops. */
  readonly closing = new AbortController();
  private readonly requestCounts = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly work = new Set<Promise<unknown>>();
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
      throw new AwsError(
        'ValidationException',
        `Account ${id} does not exist in this sandbox`,
      );
    }
    return account;
  }

  nextSequence(): number {
    this.state.sequence += 1;
    return this.state.sequence;
  }

  randomId(length = 12): string {
    return crypto
      .randomBytes(Math.ceil(length / 2))
      .toString('hex')
      .slice(0, length);
  }

  arn(service: string, accountId: string, resource: string): string {
    return `arn:aws:${service}:${this.region}:${accountId}:${resource}`;
  }

  /** Marks the state changed; it is written (atomically) shortly after. */
  changed() {
    // A closed sandbox is dead: what its work in flight does afterwards is not its state.
    if (!this.stateFile || this.saveTimer || this.closing.signal.aborted)
      return;
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

  /** Work in flight outside timers (a CodeBuild build), which `settled()` waits for. */
  track<T>(work: Promise<T>): Promise<T> {
    this.work.add(work);
    work.finally(() => this.work.delete(work)).catch(() => undefined);
    return work;
  }

  /**
   * Resolves once no simulated work is pending (no timer, no build), e.g. the
   * scenario's pipelines have reached their manual approvals. Tests that count
   * requests wait for it: a running build's own AWS calls are counted too.
   */
  async settled(): Promise<void> {
    while (this.timers.size || this.work.size) {
      await Promise.allSettled([...this.work]);
      await new Promise(resolve =>
        setTimeout(resolve, Math.max(1, this.stepMs)),
      );
    }
  }

  /**
   * Runs the task `task` (one of TASKS) with `args` after `steps` simulated
   * steps. The step is kept in the state, so a sandbox restarted from its
   * state file runs it when due.
   */
  schedule(steps: number, task: string, args: Json) {
    if (!TASKS[task])
      throw new Error(`aws-sandbox: no task ${task} to schedule`);
    const id = this.randomId(16);
    const scheduled = (this.state.scheduled ??= {});
    scheduled[id] = { due: Date.now() + steps * this.stepMs, task, args };
    this.arm(id, scheduled[id]);
    this.changed();
  }

  private arm(id: string, step: ScheduledStep) {
    this.after(Math.max(0, step.due - Date.now()), () => {
      delete this.state.scheduled![id];
      TASKS[step.task](this, step.args);
    });
  }

  private after(ms: number, fn: () => void) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        fn();
        this.changed();
      } catch (e) {
        console.error('aws-sandbox: simulation step failed', e);
      }
    }, ms);
    this.timers.add(timer);
  }

  /**
   * Continues what the saved state had in flight when the sandbox stopped:
   * each scheduled step when it is due (at once when overdue), and the work
   * that was running outside timers ends as AWS ends it: a build that was
   * running fails, and so does its pipeline action; other pipeline actions run
   * again to completion.
   */
  resume() {
    for (const [id, step] of Object.entries(this.state.scheduled ?? {})) {
      if (!TASKS[step.task])
        throw new Error(
          `aws-sandbox: the state file has a step of unknown task ${step.task}`,
        );
      this.arm(id, step);
    }
    failInterruptedBuilds(this);
    recoverPipelineExecutions(this);
    this.changed();
  }

  /**
   * Puts an event on an account's default bus, in the JSON EventBridge
   * delivers, and routes it through that account's rules.
   */
  emit(accountId: string, event: SandboxEvent) {
    this.route(
      accountId,
      {
        version: '0',
        id: crypto.randomUUID(),
        'detail-type': event.detailType,
        source: event.source,
        account: accountId,
        time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: this.region,
        resources: event.resources,
        detail: event.detail,
      },
      0,
    );
  }

  /** Routes an event through the rules of the bus's account. */
  route(busAccountId: string, event: Record<string, any>, hops: number) {
    const account = this.state.accounts[busAccountId];
    if (!account || hops > 2) return;
    for (const rule of Object.values(account.rules)) {
      if (
        rule.state !== 'ENABLED' ||
        !matchesPattern(JSON.parse(rule.eventPattern), event)
      ) {
        continue;
      }
      for (const target of rule.targets) {
        // EventBridge drops what it may not deliver; CloudWatch counts it as FailedInvocations.
        if (!this.deliver(busAccountId, rule, target, event, hops))
          this.count('events', 'FailedInvocations', busAccountId);
      }
    }
    this.changed();
  }

  /**
   * Delivers a rule's event to a target, as EventBridge does: a queue's
   * policy must allow the rule, another account's bus must allow the rule's
   * account in its policy, and a target's role must be assumable by
   * EventBridge and allowed to put events there.
   */
  private deliver(
    ruleAccount: string,
    rule: Rule,
    target: Rule['targets'][number],
    event: Record<string, any>,
    hops: number,
  ): boolean {
    const [, , service, , accountId, resource] = target.Arn.split(':');
    const role = target.RoleArn
      ? this.eventBridgeRole(ruleAccount, target.RoleArn)
      : undefined;
    if (target.RoleArn && !role) return false;
    if (service === 'sqs') {
      const queue = this.state.accounts[accountId]?.queues[resource];
      // Another account's queue takes events only through a role (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-cross-account.html).
      if (
        !queue ||
        (accountId !== ruleAccount && !role) ||
        !queueAcceptsRule(queue, rule.arn, ruleAccount)
      )
        return false;
      if (
        role &&
        !identityPolicyAllows(role.policies ?? [], 'sqs:SendMessage', queue.arn)
      )
        return false;
      enqueue(this, queue, JSON.stringify(event), 0);
      return true;
    }
    if (service === 'events' && resource === 'event-bus/default') {
      const bus = this.state.accounts[accountId];
      if (!bus) return false;
      if (accountId !== ruleAccount) {
        if (
          role &&
          !identityPolicyAllows(
            role.policies ?? [],
            'events:PutEvents',
            target.Arn,
          )
        )
          return false;
        // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html
        const sender = role
          ? `arn:aws:iam::${ruleAccount}:role/${role.name}`
          : `arn:aws:iam::${ruleAccount}:root`;
        const allowed = resourcePolicyAllows(
          eventBusPolicy(bus.eventBusPolicy),
          {
            principal: { arn: sender, account: ruleAccount },
            action: 'events:PutEvents',
            resource: target.Arn,
            context: {
              'aws:PrincipalAccount': ruleAccount,
              'aws:PrincipalArn': sender,
              'events:source': event.source,
              'events:detail-type': event['detail-type'],
            },
          },
        );
        if (!allowed) return false;
      }
      this.route(accountId, event, hops + 1);
      return true;
    }
    if (service === 'codepipeline')
      return (
        Boolean(role) && startPipelineFromRule(this, rule, target.Arn, role!)
      );
    return false;
  }

  /**
   * The role a rule's target names, if EventBridge may use it: in the rule's
   * account and trusting events.amazonaws.com
   * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html).
   */
  private eventBridgeRole(ruleAccount: string, roleArn: string) {
    const [, accountId, name] =
      /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn) ?? [];
    const role =
      accountId === ruleAccount
        ? roleOf(this.state, accountId, name)
        : undefined;
    return role?.trust.includes('events.amazonaws.com') ? role : undefined;
  }

  close() {
    this.closing.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.flush();
  }
}
