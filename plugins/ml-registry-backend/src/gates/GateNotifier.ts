import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  DecisionGate,
  MlAccount,
  MlPlatformConfig,
  registryGateOfStage,
} from '@ml-governance/plugin-ml-registry-common';
import { ModelVersionRecord } from '../database/VersionStore';
import {
  AwsClientFactory,
  modelEntityName,
} from '@ml-governance/plugin-ml-registry-node';
import {
  CodePipelineClient,
  GetPipelineStateCommand,
} from '@aws-sdk/client-codepipeline';
import {
  parseAwsEvent,
  PIPELINE_ACTION_STATE_CHANGE,
} from '../events/awsEvent';

/**
 * Tells the people who may act on a gate that a version waits there, through
 * Backstage notifications: a dev version registered for approval, a central
 * version promoted, a deploy pipeline at its manual approval. Every text is
 * made from AWS state the registry read itself, never from an event's words:
 * an event only says where to look.
 */
export class GateNotifier {
  constructor(
    private readonly deps: {
      notifications: NotificationService;
      approvers: Record<DecisionGate, string[]>;
      platform: MlPlatformConfig;
      clients: AwsClientFactory;
      logger: LoggerService;
    },
  ) {}

  private async send(
    gate: DecisionGate,
    scope: string,
    title: string,
    description: string,
    link: string,
  ) {
    try {
      await this.deps.notifications.send({
        recipients: { type: 'entity', entityRef: this.deps.approvers[gate] },
        payload: {
          title,
          description,
          link,
          topic: 'ml-registry',
          scope,
          severity: 'normal',
        },
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
    const byModel = new Map<
      string,
      { gate: DecisionGate; account: MlAccount; pending: ModelVersionRecord[] }
    >();
    for (const v of versions) {
      if (v.approvalStatus !== 'PendingManualApproval') continue;
      const account = this.deps.platform.accounts.find(
        a => a.accountId === v.accountId,
      );
      const gate = account && registryGateOfStage(account.stage);
      if (!account || !gate) continue;
      const key = `${gate}:${v.accountId}:${v.groupName}`;
      if (!byModel.has(key)) byModel.set(key, { gate, account, pending: [] });
      byModel.get(key)!.pending.push(v);
    }
    for (const [key, { gate, account, pending }] of byModel) {
      const where = gate === 'dev-approval' ? 'dev' : 'central';
      const newest = pending.reduce((a, b) => (b.version > a.version ? b : a));
      const { groupName, version } = newest;
      const [title, description] =
        pending.length === 1
          ? [
              `${groupName} v${version} waits for ${where} approval`,
              `Version ${version} of ${groupName} in ${account.name} is pending your approval.`,
            ]
          : [
              `${groupName}: ${pending.length} versions wait for ${where} approval (newest v${version})`,
              `${pending.length} versions, up to version ${version}, of ${groupName} in ${account.name} are pending your approval.`,
            ];
      await this.send(
        gate,
        `ml-registry:${key}`,
        title,
        description,
        `/catalog/default/resource/${modelEntityName(
          account.name,
          groupName,
        )}/model`,
      );
    }
  }

  /**
   * A deploy pipeline of shared services that an event says reached its manual
   * approval: notified only when GetPipelineState shows an approval of its
   * latest run in progress (it then carries the approval token), named as
   * CodePipeline names it.
   */
  async pipelineWaiting(accountId: string, pipeline: string): Promise<void> {
    const account = this.deps.platform.accounts.find(
      a => a.accountId === accountId && a.stage === 'shared-services',
    );
    if (!account) return;
    const state = await (
      await this.deps.clients.create(CodePipelineClient, account.accountId)
    )
      .send(new GetPipelineStateCommand({ name: pipeline }))
      .catch(e => {
        this.deps.logger.debug(
          `No governance notification: pipeline state of ${pipeline} unreadable: ${e}`,
        );
        return undefined;
      });
    const waiting = state?.stageStates?.find(s =>
      s.actionStates?.some(
        a =>
          a.latestExecution?.status === 'InProgress' && a.latestExecution.token,
      ),
    );
    const executionId = waiting?.latestExecution?.pipelineExecutionId;
    if (!state?.pipelineName || !executionId) return;
    await this.send(
      'governance-approval',
      `ml-registry:governance-approval:${state.pipelineName}:${executionId}`,
      `${state.pipelineName} waits for governance approval`,
      `The deploy pipeline ${state.pipelineName} is waiting for the governance checklist and approval before production.`,
      `/ml-registry`,
    );
  }

  /** Listens for deploy pipelines reaching their manual approval. */
  async subscribe(events: EventsService, topic: string): Promise<void> {
    await events.subscribe({
      id: 'ml-registry-gate-notifier',
      topics: [topic],
      onEvent: async ({ eventPayload }) => {
        const parsed = parseAwsEvent(eventPayload);
        if (
          'problem' in parsed ||
          parsed.event['detail-type'] !== PIPELINE_ACTION_STATE_CHANGE
        )
          return;
        const { account, detail } = parsed.event;
        if (detail.type?.category !== 'Approval' || detail.state !== 'STARTED')
          return;
        await this.pipelineWaiting(account, detail.pipeline);
      },
    });
  }
}
