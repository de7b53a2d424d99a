import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { EventsService } from '@backstage/plugin-events-node';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import {
  DecisionGate,
  GateDecisionRequest,
  MlAccount,
  MlPlatformConfig,
  registryGateOfStage,
} from '@ml-governance/plugin-ml-registry-common';
import { GateDecisionStore } from '../database/GateDecisionStore';
import {
  ApprovalRecord,
  ModelVersionRecord,
  VersionStore,
} from '../database/VersionStore';
import {
  AwsClientFactory,
  modelEntityName,
} from '@ml-governance/plugin-ml-registry-node';
import {
  CodePipelineClient,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
} from '@aws-sdk/client-codepipeline';
import {
  parseAwsEvent,
  PIPELINE_ACTION_STATE_CHANGE,
} from '../events/awsEvent';
import {
  ApproversOf,
  modelVersionResource,
} from '../permissions/modelVersionRules';
import { deployedVersionOf, PipelineApproval } from './pipelineApproval';

type Payload = NotificationSendOptions['payload'];

const PENDING = 'PendingManualApproval';

/** What a registry gate's decision set the version's status to. */
const DECIDED_STATUS: Record<string, GateDecisionRequest['decision']> = {
  Approved: 'approve',
  Rejected: 'reject',
};

/** The manual approval action's status once answered, as GetPipelineState and ListActionExecutions report it. */
const ANSWERED_APPROVAL: Record<string, string> = {
  Succeeded: 'approved',
  Failed: 'rejected',
};

/** A user entity ref as people say it (`leo.lead`); any other actor (an AWS identity) as is. */
function personOf(actor: string): string {
  try {
    const ref = parseEntityRef(actor);
    return ref.kind.toLocaleLowerCase('en-US') === 'user' ? ref.name : actor;
  } catch {
    return actor;
  }
}

/** Who set a decided version's status, and why, as far as Backstage and SageMaker know. */
interface Decider {
  who: string;
  where: 'in Backstage' | 'outside Backstage';
  reason?: string;
}

/** The notification scope of a registry gate's approvals of one model. */
const registryScope = (gate: DecisionGate, v: ModelVersionRecord) =>
  `ml-registry:${gate}:${v.accountId}:${v.groupName}`;

/** The notification scope of one deploy pipeline run's governance approval. */
const governanceScope = (pipeline: string, executionId: string) =>
  `ml-registry:governance-approval:${pipeline}:${executionId}`;

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
      /** The configured approvers: a governance run's, when the registry does not hold the version it deploys. */
      approvers: Record<DecisionGate, string[]>;
      /** Who decides a gate of a version: the configured approvers, or a module's resolver (as the permission rule IS_GATE_APPROVER sees them). */
      approversOf: ApproversOf;
      platform: MlPlatformConfig;
      clients: AwsClientFactory;
      logger: LoggerService;
      versions: VersionStore;
      decisions: GateDecisionStore;
    },
  ) {}

  /** Who decides `gate` of `version`: the people the permission policy lets decide it. */
  private async approversOf(
    gate: DecisionGate,
    version: ModelVersionRecord | undefined,
  ): Promise<string[]> {
    const account = version && this.account(version.accountId);
    return account
      ? this.deps.approversOf(gate, modelVersionResource(account, version.arn))
      : this.deps.approvers[gate];
  }

  /**
   * Sends to the approvers of a gate of `version`. A notification of the same
   * scope is replaced for each recipient who has one (title, description,
   * link, severity; the notifications backend marks it unread again, and no
   * API lets a sender mark it read); anyone else gets a new one.
   */
  private async send(
    gate: DecisionGate,
    version: ModelVersionRecord | undefined,
    payload: Required<
      Pick<Payload, 'scope' | 'title' | 'description' | 'link'>
    > &
      Pick<Payload, 'severity'>,
  ) {
    try {
      const entityRef = await this.approversOf(gate, version);
      if (!entityRef.length) return;
      await this.deps.notifications.send({
        recipients: { type: 'entity', entityRef },
        payload: { topic: 'ml-registry', severity: 'normal', ...payload },
      });
    } catch (e) {
      // A notification lost is not worth failing a sync for; the gate still shows on the model page.
      this.deps.logger.warn(`Could not notify ${gate} approvers: ${e}`);
    }
  }

  private account(accountId: string): MlAccount | undefined {
    return this.deps.platform.accounts.find(a => a.accountId === accountId);
  }

  private modelPage(account: MlAccount, groupName: string, version?: number) {
    const page = `/catalog/default/resource/${modelEntityName(
      account.name,
      groupName,
    )}/model`;
    return version === undefined ? page : `${page}?version=${version}`;
  }

  /** Versions the sync or a promotion read in a new approval state: those now pending, and those just decided. */
  async versionsChanged(versions: ModelVersionRecord[]): Promise<void> {
    await this.versionsPending(versions);
    await this.versionsDecided(versions);
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
      if (v.approvalStatus !== PENDING) continue;
      const account = this.account(v.accountId);
      const gate = account && registryGateOfStage(account.stage);
      if (!account || !gate) continue;
      const key = registryScope(gate, v);
      if (!byModel.has(key)) byModel.set(key, { gate, account, pending: [] });
      byModel.get(key)!.pending.push(v);
    }
    for (const [scope, { gate, account, pending }] of byModel) {
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
      await this.send(gate, newest, {
        scope,
        title,
        description,
        link: this.modelPage(account, groupName),
      });
    }
  }

  /**
   * Versions the sync saw leave PendingManualApproval for Approved or
   * Rejected, in Backstage or outside it: the notification that asked for the
   * decision (its model and gate's) now says who decided what, links to the
   * version's gates and audit trail, and asks nothing more, unless other
   * versions of the model still wait at that gate. A version first seen
   * already decided asked nobody, so tells nobody.
   */
  async versionsDecided(versions: ModelVersionRecord[]): Promise<void> {
    const newestByModel = new Map<string, ModelVersionRecord>();
    for (const v of versions) {
      if (!DECIDED_STATUS[v.approvalStatus]) continue;
      const account = this.account(v.accountId);
      const gate = account && registryGateOfStage(account.stage);
      if (!gate) continue;
      const key = registryScope(gate, v);
      const known = newestByModel.get(key);
      if (!known || v.version > known.version) newestByModel.set(key, v);
    }
    for (const [scope, decided] of newestByModel) {
      const history = await this.deps.versions.history(decided.arn);
      if (history.at(-2)?.approvalStatus !== PENDING) continue;
      await this.registryDecided(scope, decided, history.at(-1));
    }
  }

  private async registryDecided(
    scope: string,
    decided: ModelVersionRecord,
    state: ApprovalRecord | undefined,
  ): Promise<void> {
    const account = this.account(decided.accountId)!;
    const gate = registryGateOfStage(account.stage)!;
    const where = gate === 'dev-approval' ? 'dev' : 'central';
    const { groupName, version } = decided;
    const {
      who,
      where: how,
      reason,
    } = await this.deciderOf(gate, decided, state);
    const what = decided.approvalStatus.toLocaleLowerCase('en-US');
    const waiting = (
      await this.deps.versions.listVersions({
        accountId: decided.accountId,
        groupName,
      })
    ).filter(v => v.approvalStatus === PENDING);
    const newest = waiting.at(-1);
    // What the reader must know comes first: the notifications page shows a description's start.
    const first = newest
      ? `${waiting.length} other version${
          waiting.length === 1 ? '' : 's'
        } of ${groupName} still wait${
          waiting.length === 1 ? 's' : ''
        } for your ${where} approval, newest v${newest.version}.`
      : 'Nothing is left for you to decide here.';
    await this.send(gate, decided, {
      scope,
      title: `${groupName} v${version} ${what} by ${who} (${where} approval)`,
      description: `${first} Version ${version} of ${groupName} in ${
        account.name
      } was ${what} by ${who} ${how}${
        reason ? `: "${reason}"` : ''
      }. Its gates and audit trail are on the model page.`,
      link: this.modelPage(account, groupName, newest?.version ?? version),
      severity: newest ? 'normal' : 'low',
    });
  }

  /**
   * Who decided: the Backstage user whose decision set this status, or the
   * AWS identity SageMaker reports as having set it (LastModifiedBy), with
   * the approval description as the reason.
   */
  private async deciderOf(
    gate: DecisionGate,
    decided: ModelVersionRecord,
    state: ApprovalRecord | undefined,
  ): Promise<Decider> {
    const inBackstage = await this.deps.decisions.get(decided.arn, gate);
    if (inBackstage?.decision === DECIDED_STATUS[decided.approvalStatus]) {
      return {
        who: personOf(inBackstage.actor),
        where: 'in Backstage',
        reason: inBackstage.reason,
      };
    }
    return {
      who: state?.changedBy ?? 'an AWS identity SageMaker did not report',
      where: 'outside Backstage',
      reason: state?.approvalDescription ?? decided.approvalDescription,
    };
  }

  /**
   * A governance decision taken in Backstage, once CodePipeline shows the
   * run's manual approval answered: the notification that asked for it (its
   * pipeline run's) says who decided what and links to the version's gates
   * and audit trail.
   */
  async governanceDecided(
    central: ModelVersionRecord,
    approval: PipelineApproval | undefined,
    decision: { actor: string; reason?: string },
  ): Promise<void> {
    const what = approval?.status && ANSWERED_APPROVAL[approval.status];
    const account = this.account(central.accountId);
    if (!what || !approval?.executionId || !account) return;
    const { pipelineName, executionId } = approval;
    const who = personOf(decision.actor);
    await this.send('governance-approval', central, {
      scope: governanceScope(pipelineName, executionId),
      title: `${pipelineName}: governance ${what} by ${who}`,
      description: `Nothing is left for you to decide on this run. The governance approval of ${
        central.groupName
      } v${
        central.version
      } before production was ${what} by ${who} in Backstage${
        decision.reason ? `: "${decision.reason}"` : ''
      }. Its gates and audit trail are on the model page.`,
      link: this.modelPage(account, central.groupName, central.version),
      severity: 'low',
    });
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
    const codepipeline = await this.deps.clients.create(
      CodePipelineClient,
      account.accountId,
    );
    const state = await codepipeline
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
    // The approvers of the version the run deploys, when the registry holds it.
    const central = (
      await this.readRun(account, state.pipelineName, executionId)
    )?.central;
    await this.send('governance-approval', central, {
      scope: governanceScope(state.pipelineName, executionId),
      title: `${state.pipelineName} waits for governance approval`,
      description: `The deploy pipeline ${state.pipelineName} is waiting for the governance checklist and approval before production.`,
      link: central
        ? this.modelPage(account, central.groupName, central.version)
        : '/ml-registry',
    });
  }

  /**
   * A deploy pipeline run's manual approval that an event says was answered.
   * One answered through Backstage was told by governanceDecided, naming the
   * officer; any other was answered outside Backstage (console, CLI), told
   * with the identity and summary ListActionExecutions reports (`updatedBy`,
   * `output.executionResult.externalExecutionSummary`:
   * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionExecutionDetail.html).
   */
  async pipelineAnswered(
    accountId: string,
    pipeline: string,
    executionId: string,
  ): Promise<void> {
    const account = this.deps.platform.accounts.find(
      a => a.accountId === accountId && a.stage === 'shared-services',
    );
    const run = account && (await this.readRun(account, pipeline, executionId));
    const answered = run?.details.find(
      a =>
        a.input?.actionTypeId?.category === 'Approval' &&
        a.status &&
        ANSWERED_APPROVAL[a.status],
    );
    if (!account || !run || !answered) return;
    const { central } = run;
    if (
      central &&
      (await this.deps.decisions.get(central.arn, 'governance-approval'))
    )
      return;
    const what = ANSWERED_APPROVAL[answered.status!];
    const who =
      answered.updatedBy ?? 'an AWS identity CodePipeline did not report';
    const summary = answered.output?.executionResult?.externalExecutionSummary;
    await this.send('governance-approval', central, {
      scope: governanceScope(pipeline, executionId),
      title: `${pipeline}: governance ${what} by ${who}`,
      description: `Nothing is left for you to decide on this run. The governance approval of ${
        central
          ? `${central.groupName} v${central.version}`
          : `the run ${executionId}`
      } before production was ${what} by ${who} outside Backstage${
        summary ? `: "${summary}"` : ''
      }.`,
      link: central
        ? this.modelPage(account, central.groupName, central.version)
        : '/ml-registry',
      severity: 'low',
    });
  }

  /** A deploy pipeline run's action executions, and the central version it deploys when the registry holds it. */
  private async readRun(
    account: MlAccount,
    pipeline: string,
    executionId: string,
  ) {
    const codepipeline = await this.deps.clients.create(
      CodePipelineClient,
      account.accountId,
    );
    try {
      const { actionExecutionDetails = [] } = await codepipeline.send(
        new ListActionExecutionsCommand({
          pipelineName: pipeline,
          filter: { pipelineExecutionId: executionId },
        }),
      );
      const deploys = deployedVersionOf(actionExecutionDetails);
      const central = deploys
        ? await this.deps.versions.getVersion(deploys)
        : undefined;
      return { details: actionExecutionDetails, central };
    } catch (e) {
      this.deps.logger.debug(
        `The run ${executionId} of ${pipeline} is unreadable: ${e}`,
      );
      return undefined;
    }
  }

  /** Listens for deploy pipelines reaching their manual approval, and for their approvals answered. */
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
        if (detail.type?.category !== 'Approval') return;
        const executionId = detail['execution-id'];
        if (detail.state === 'STARTED')
          await this.pipelineWaiting(account, detail.pipeline);
        else if (typeof executionId === 'string')
          await this.pipelineAnswered(account, detail.pipeline, executionId);
      },
    });
  }
}
