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
    const byModel = new Map<string, { gate: DecisionGate; account: MlAccount; pending: ModelVersionRecord[] }>();
    for (const v of versions) {
      if (v.approvalStatus !== 'PendingManualApproval') continue;
      const account = this.deps.platform.accounts.find(a => a.accountId === v.accountId);
      const gate = account && REGISTRY_GATE[account.stage];
      if (!account || !gate) continue;
      const key = `${gate}:${v.accountId}:${v.groupName}`;
      if (!byModel.has(key)) byModel.set(key, { gate, account, pending: [] });
      byModel.get(key)!.pending.push(v);
    }
    for (const [key, { gate, account, pending }] of byModel) {
      const where = gate === 'dev-approval' ? 'dev' : 'central';
      const newest = pending.reduce((a, b) => (b.version > a.version ? b : a));
      const { groupName, version } = newest;
      const [title, description] = pending.length === 1
        ? [`${groupName} v${version} waits for ${where} approval`, `Version ${version} of ${groupName} in ${account.name} is pending your approval.`]
        : [
          `${groupName}: ${pending.length} versions wait for ${where} approval (newest v${version})`,
          `${pending.length} versions, up to version ${version}, of ${groupName} in ${account.name} are pending your approval.`,
        ];
      await this.send(gate, `ml-registry:${key}`, title, description, `/catalog/default/resource/${modelEntityName(account.name, groupName)}/model`);
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
