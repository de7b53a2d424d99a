import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { DecisionGate, MlPlatformConfig } from '@ml-governance/plugin-ml-registry-common';
import { ModelVersionRecord } from '../database/VersionStore';
import { modelEntityName } from '@ml-governance/plugin-ml-registry-node';

const ACTION_STATE_CHANGE = 'CodePipeline Action Execution State Change';

/** The gate a pending version waits at, by the stage of its registry's account. */
const REGISTRY_GATE: Partial<Record<string, DecisionGate>> = { dev: 'dev-approval', 'shared-services': 'central-approval' };

/**
 * Tells the people who may act on a gate that a version waits there, through
 * Backstage notifications: a dev version registered for approval, a central
 * version promoted, a deploy pipeline at its manual approval. One notification
 * per version and gate (its scope), however often the state is seen.
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

  /** Versions that just entered PendingManualApproval in a dev or the central registry. */
  async versionsPending(versions: ModelVersionRecord[]): Promise<void> {
    for (const v of versions) {
      if (v.approvalStatus !== 'PendingManualApproval') continue;
      const account = this.deps.platform.accounts.find(a => a.accountId === v.accountId);
      const gate = account && REGISTRY_GATE[account.stage];
      if (!account || !gate) continue;
      await this.send(
        gate,
        `ml-registry:${gate}:${v.arn}`,
        `${v.groupName} v${v.version} waits for ${gate === 'dev-approval' ? 'dev' : 'central'} approval`,
        `Version ${v.version} of ${v.groupName} in ${account.name} is pending your approval.`,
        `/catalog/default/resource/${modelEntityName(account.name, v.groupName)}`,
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
