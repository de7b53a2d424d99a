import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { DecisionGate, MlAccount, MlPlatformConfig } from '@ml-governance/plugin-ml-registry-common';
import { ModelVersionRecord } from '../database/VersionStore';
import { modelEntityName } from '@ml-governance/plugin-ml-registry-node';

const ACTION_STATE_CHANGE = 'CodePipeline Action Execution State Change';

/** The gate a pending version waits at, by the stage of its registry's account. */
const REGISTRY_GATE: Partial<Record<string, DecisionGate>> = { dev: 'dev-approval', 'shared-services': 'central-approval' };

/**
 * Tells the people who may act on a gate that a version waits there, through
 * Backstage notifications: a dev version registered for approval, a central
 * version promoted, a deploy pipeline at its manual approval.
 */
export class GateNotifier {
  constructor(
    private readonly deps: {
      notifications: NotificationService;
      approvers: Record<DecisionGate, string[]>;
      platform: MlPlatformConfig;
      logger: LoggerService;
    },
  ) {}

  private async send(gate: DecisionGate, scope: string, title: string, description: string, link: string) {
    try {
      await this.deps.notifications.send({
        recipients: { type: 'entity', entityRef: this.deps.approvers[gate] },
        payload: { title, description, link, topic: 'ml-registry', scope, severity: 'normal' },
      });
    } catch (e) {
      // A notification lost is not worth failing a sync for; the gate still shows on the model page.
      this.deps.logger.warn(`Could not notify ${gate} approvers: ${e}`);
    }
  }

  /**
   * Versions that just entered PendingManualApproval in a dev or the central
   * registry: one notification per model and gate, naming the newest version,
   * so a model registering a thousand versions is one line in the approvers'
   * inbox (and one send), not a thousand. Its scope is the model and gate, so
   * a later batch updates that notification and marks it unread again.
   */
  async versionsPending(versions: ModelVersionRecord[]): Promise<void> {
    const byModel = new Map<string, { gate: DecisionGate; account: MlAccount; newest: ModelVersionRecord; count: number }>();
    for (const v of versions) {
      if (v.approvalStatus !== 'PendingManualApproval') continue;
      const account = this.deps.platform.accounts.find(a => a.accountId === v.accountId);
      const gate = account && REGISTRY_GATE[account.stage];
      if (!account || !gate) continue;
      const key = `${gate}:${v.accountId}:${v.groupName}`;
      const seen = byModel.get(key);
      if (!seen) byModel.set(key, { gate, account, newest: v, count: 1 });
      else byModel.set(key, { ...seen, count: seen.count + 1, newest: v.version > seen.newest.version ? v : seen.newest });
    }
    for (const [key, { gate, account, newest, count }] of byModel) {
      const where = gate === 'dev-approval' ? 'dev' : 'central';
      await this.send(
        gate,
        `ml-registry:${key}`,
        count === 1
          ? `${newest.groupName} v${newest.version} waits for ${where} approval`
          : `${newest.groupName}: ${count} versions wait for ${where} approval (newest v${newest.version})`,
        `${count === 1 ? `Version ${newest.version}` : `${count} versions, up to version ${newest.version},`} of ${newest.groupName} in ${account.name} ${count === 1 ? 'is' : 'are'} pending your approval.`,
        `/catalog/default/resource/${modelEntityName(account.name, newest.groupName)}/model`,
      );
    }
  }

  /** Listens for deploy pipelines reaching their manual approval. */
  async subscribe(events: EventsService, topic: string): Promise<void> {
    await events.subscribe({
      id: 'ml-registry-gate-notifier',
      topics: [topic],
      onEvent: async ({ eventPayload }) => {
        const event = eventPayload as { 'detail-type'?: string; detail?: { pipeline?: string; state?: string; type?: { category?: string }; 'execution-id'?: string } };
        if (event?.['detail-type'] !== ACTION_STATE_CHANGE) return;
        const { pipeline, state, type } = event.detail ?? {};
        if (type?.category !== 'Approval' || state !== 'STARTED' || !pipeline) return;
        await this.send(
          'governance-approval',
          `ml-registry:governance-approval:${pipeline}:${event.detail?.['execution-id']}`,
          `${pipeline} waits for governance approval`,
          `The deploy pipeline ${pipeline} is waiting for the governance checklist and approval before production.`,
          `/ml-registry`,
        );
      },
    });
  }
}
