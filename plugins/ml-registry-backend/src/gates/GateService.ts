import {
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CodePipelineClient,
  GetPipelineCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  PutApprovalResultCommand,
  StageState,
} from '@aws-sdk/client-codepipeline';
import {
  DescribeModelPackageCommand,
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import {
  AuditPage,
  ChecklistItem,
  DecisionGate,
  DeployRetry,
  GateDecisionRequest,
  GateState,
  MlAccount,
  mlCentralApprovalPermission,
  mlDevApprovalPermission,
  mlGovernanceApprovalPermission,
  MlPlatformConfig,
  Staleness,
  VersionGates,
} from '@ml-governance/plugin-ml-registry-common';
import { AwsClientFactory } from '@ml-governance/plugin-ml-registry-node';
import { AuditLog, AuditRecord } from '../database/AuditLog';
import { EndpointStore } from '../database/EndpointStore';
import { GateDecision, GateDecisionStore } from '../database/GateDecisionStore';
import { PromotionStore } from '../database/PromotionStore';
import { ModelVersionRecord, VersionStore } from '../database/VersionStore';
import { AccountSync } from '../sync/AccountSync';
import { governanceChecklist } from './governanceChecklist';
import { awsIdentity } from '../sync/awsIdentity';
import { AccountUnreachableError, reaching } from './AccountUnreachableError';
import { AwsReadQueue } from './AwsReadQueue';
import { GatePolicy, isExternalApprover, userOfIdentity } from './gatePolicy';
import { Promotion } from './Promotion';
import { statusSetBy } from './promotionTrigger';
import { DeployRun, deployTrouble } from './deployStatus';
import { retryDeploy } from './deployRetry';

const PERMISSIONS = {
  'dev-approval': mlDevApprovalPermission,
  'central-approval': mlCentralApprovalPermission,
  'governance-approval': mlGovernanceApprovalPermission,
};

const VIEW_CACHE_MS = 2000;
/** Versions whose view is kept: enough for every page open at once, bounded whatever readers ask for. */
const VIEW_CACHE_MAX = 1000;
/** The newest audit entries `GET /gates` carries; `GET /audit` pages through all of them. */
const GATES_AUDIT_LIMIT = 50;

const STATE_OF_STATUS: Record<string, GateState['state']> = {
  Approved: 'approved',
  Rejected: 'rejected',
};

/** The account stage a version must live in for each gate. */
const GATE_STAGE: Record<DecisionGate, MlAccount['stage']> = {
  'dev-approval': 'dev',
  'central-approval': 'shared-services',
  'governance-approval': 'shared-services',
};

/** The registry gates, where a version's registrant must not approve it alone. */
const REGISTRY_GATES: DecisionGate[] = ['dev-approval', 'central-approval'];

/** The claim of the first of two approvals, when the registrant is unknown and policy wants two approvers. */
const firstApprovalOf = (gate: DecisionGate) => `${gate}:first-approval`;

/** Who registered a version: the AWS identity SageMaker reports, and the Backstage user it maps to. */
interface Registrant {
  identity?: string;
  user?: string;
}

export interface DecisionRequest extends GateDecisionRequest {
  credentials: BackstageCredentials<BackstageUserPrincipal>;
}

/** What views read from AWS about a central version. */
interface AwsView {
  approval?: PipelineApproval;
  checklist?: ChecklistItem[];
  /** Set when the account could not be reached and this is the last view read. */
  stale?: Staleness;
}

/**
 * The deploy pipeline's Build action output variable naming the version an
 * execution deploys (the bundle's buildspec exports it under the action's
 * namespace BuildVariables).
 */
const DEPLOYED_VERSION_VARIABLE = 'MODEL_PACKAGE_ARN';

interface PipelineApproval extends DeployRun {
  pipelineName: string;
  stageName: string;
  actionName: string;
  /** The latest execution, the one whose approval is considered. */
  executionId?: string;
  /** The version the latest execution deploys, once its build resolved it. */
  deploys?: string;
  /** Set while the approval waits. */
  token?: string;
  status?: string;
  summary?: string;
  /** Each stage's latest status, in the pipeline's order (GetPipelineState keeps it). */
  stages: Record<string, string | undefined>;
  stageStates: StageState[];
}

/**
 * The approval gates of DESIGN.md section 6. AWS is the source of truth: every
 * decision re-reads the state from AWS first, acts there, and is recorded in
 * the audit log with who, when, why and how it ended.
 */
export class GateService {
  constructor(
    private readonly deps: {
      clients: AwsClientFactory;
      platform: MlPlatformConfig;
      permissions: PermissionsService;
      versions: VersionStore;
      endpoints: EndpointStore;
      decisions: GateDecisionStore;
      promotions: PromotionStore;
      audit: AuditLog;
      promotion: Promotion;
      sync: AccountSync;
      logger: LoggerService;
      policy: GatePolicy;
    },
  ) {}

  private account(accountId: string): MlAccount | undefined {
    return this.deps.platform.accounts.find(a => a.accountId === accountId);
  }

  /** The dev version and its central copy, whichever of the two `arn` is. */
  private async lineage(
    arn: string,
  ): Promise<{
    version: ModelVersionRecord;
    dev?: ModelVersionRecord;
    central?: ModelVersionRecord;
  }> {
    const accountId = arn.split(':')[4];
    if (!this.account(accountId)) {
      throw new InputError(
        `arn: account ${accountId} is not one of the accounts configured under mlRegistry.accounts`,
      );
    }
    const version = await this.deps.versions.getVersion(arn);
    if (!version)
      throw new NotFoundError(
        `No model version ${arn}; it may not be synced yet`,
      );
    if (version.sourceArn) {
      return {
        version,
        dev: await this.deps.versions.getVersion(version.sourceArn),
        central: version,
      };
    }
    const [central] = await this.deps.versions.promotedFrom(arn);
    return { version, dev: version, central };
  }

  async decide(request: DecisionRequest): Promise<VersionGates> {
    const { arn, gate, decision } = request;
    const actor = request.credentials.principal.userEntityRef;
    const reason = request.reason?.trim();
    if (!reason) throw new InputError('reason: say why, in a few words');
    const record = (
      result: AuditRecord['result'],
      detail?: Record<string, unknown>,
    ) =>
      this.deps.audit.append({
        actor,
        action: decision,
        gate,
        arn,
        reason,
        result,
        ...(detail ? { detail } : {}),
      });

    const { version, dev, central } = await this.lineage(arn);
    const account = this.account(version.accountId);
    if (account?.stage !== GATE_STAGE[gate]) {
      throw new InputError(
        `gate ${gate} acts on versions in a ${
          GATE_STAGE[gate]
        } account; ${arn} is in ${account?.name ?? version.accountId} (${
          account?.stage ?? 'not configured'
        })`,
      );
    }

    const permission = PERMISSIONS[gate];
    const [verdict] = await this.deps.permissions.authorize(
      [{ permission, resourceRef: arn }],
      { credentials: request.credentials },
    );
    if (verdict.result !== AuthorizeResult.ALLOW) {
      await record('denied', {
        why: `${permission.name} is not allowed on ${account.name}`,
      });
      throw new NotAllowedError(
        `${actor} may not decide ${gate} of ${arn}: ${permission.name} is not allowed for them on versions of ${account.name}`,
      );
    }
    const registrant = this.registrantOf(dev ?? version);
    const secondApproverNeeded =
      this.deps.policy.separationOfDuties &&
      decision === 'approve' &&
      REGISTRY_GATES.includes(gate) &&
      !registrant.user;
    if (this.deps.policy.separationOfDuties && decision === 'approve') {
      const conflict = await this.dutiesConflict(
        actor,
        registrant,
        gate,
        [dev?.arn, central?.arn].filter((a): a is string => !!a),
      );
      if (conflict) {
        await record('denied', { why: conflict });
        throw new NotAllowedError(`Separation of duties: ${conflict}`);
      }
    }

    const approval =
      gate === 'governance-approval'
        ? await this.pipelineApproval(version)
        : undefined;
    let approvedOutside: { identity?: string } | undefined;
    if (gate === 'governance-approval') {
      // The officer's approval sends to production what the waiting execution's build resolved: it must be the version decided.
      if (approval?.deploys && approval.deploys !== arn) {
        await record('conflict', {
          pipeline: approval.pipelineName,
          execution: approval.executionId,
          deploys: approval.deploys,
        });
        throw new ConflictError(
          `${arn} is not what the ${approval.pipelineName} pipeline deploys: its execution ${approval.executionId} deploys ${approval.deploys}. Decide that version, or start the pipeline again for this one.`,
        );
      }
      if (approval?.token && !approval.deploys) {
        await record('conflict', {
          pipeline: approval.pipelineName,
          execution: approval.executionId,
        });
        throw new ConflictError(
          `The ${approval.pipelineName} execution ${approval.executionId} waiting for governance approval does not say which version it deploys (its Build action exports no BuildVariables.${DEPLOYED_VERSION_VARIABLE}); recreate the pipeline from the current template`,
        );
      }
      if (!approval?.token) {
        await record('conflict', {
          pipeline: approval?.pipelineName,
          status: approval?.status,
        });
        throw new ConflictError(
          `${arn} is not waiting for governance approval (the ${
            approval?.pipelineName ?? 'deploy'
          } pipeline's approval is ${approval?.status ?? 'not reached'})`,
        );
      }
      if (decision === 'approve') {
        const checklist = await this.checklist(
          version,
          actor,
          request.accessReviewed,
        );
        const failing = checklist.filter(i => !i.ok);
        const override = request.override?.trim() ?? '';
        if (failing.length && !override) {
          await record('conflict', { checklist });
          throw new ConflictError(
            `The governance checklist does not hold: ${failing
              .map(i => `${i.id} (${i.evidence})`)
              .join('; ')}. Fix it, or override with a written reason.`,
          );
        }
        if (failing.length) {
          const { minLength, needsSecondOfficer } = this.deps.policy.override;
          if (override.length < minLength) {
            throw new InputError(
              `override: approving against the checklist (${failing
                .map(i => i.id)
                .join(
                  ', ',
                )}) needs a written reason of at least ${minLength} characters; this one has ${
                override.length
              }`,
            );
          }
          // The first officer's override waits, per execution, for a different officer's; AWS is told only then.
          if (needsSecondOfficer) {
            const first = await this.deps.decisions.claim({
              arn,
              gate: `${gate}:override:${approval.executionId}`,
              actor,
              decision,
              reason: override,
              decidedAt: new Date(),
            });
            if (first.claimed) {
              await record('ok', {
                override,
                firstOfTwo:
                  'a second governance officer confirms the override (mlRegistry.gates.governance.overrideNeedsSecondOfficer)',
              });
              return this.gates(arn);
            }
            if (first.existing.actor === actor) {
              await record('denied', {
                why: 'the override must be confirmed by another governance officer',
              });
              throw new NotAllowedError(
                `${actor} overrode the checklist of ${arn} first: a second, different governance officer confirms the override`,
              );
            }
          }
        }
      }
    } else {
      const fresh = await (
        await this.deps.clients.create(SageMakerClient, version.accountId)
      ).send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
      const adoptable =
        fresh.ModelApprovalStatus === 'Approved' &&
        gate === 'dev-approval' &&
        decision === 'approve' &&
        !(await this.deps.decisions.get(arn, gate)) &&
        !(await this.deps.promotions.get(arn));
      if (adoptable) {
        const identity = awsIdentity(fresh.LastModifiedBy);
        approvedOutside = identity ? { identity } : {};
      } else if (fresh.ModelApprovalStatus !== 'PendingManualApproval') {
        await record('conflict', { status: fresh.ModelApprovalStatus });
        throw new ConflictError(
          `${arn} is already ${fresh.ModelApprovalStatus}${
            fresh.ApprovalDescription ? ` (${fresh.ApprovalDescription})` : ''
          }`,
        );
      }
    }

    if (secondApproverNeeded) {
      const first = await this.deps.decisions.claim({
        arn,
        gate: firstApprovalOf(gate),
        actor,
        decision,
        reason,
        decidedAt: new Date(),
      });
      const registeredBy =
        registrant.identity ?? 'an identity SageMaker did not report';
      if (first.claimed) {
        await record('ok', {
          firstOfTwo: `registered by ${registeredBy}, which no Backstage user is mapped to: a second approver decides`,
        });
        return this.gates(arn);
      }
      if (first.existing.actor === actor) {
        await record('denied', {
          why: 'the second approval must come from someone else',
        });
        throw new NotAllowedError(
          `Separation of duties: ${arn} was registered by ${registeredBy}, which no Backstage user is mapped to; ${actor} approved first, and a second, different approver must approve`,
        );
      }
    }

    const claim = await this.deps.decisions.claim({
      arn,
      gate,
      actor,
      decision,
      reason,
      decidedAt: new Date(),
    });
    if (!claim.claimed) {
      await record('conflict', { decidedBy: claim.existing.actor });
      throw new ConflictError(
        `${gate} of ${arn} was already decided: ${claim.existing.decision} by ${
          claim.existing.actor
        } at ${claim.existing.decidedAt.toISOString()}`,
      );
    }
    if (approvedOutside) {
      await record('ok', {
        adopted: `approved outside Backstage by ${
          approvedOutside.identity ?? 'an identity SageMaker did not report'
        }`,
      });
      await this.deps.sync.sync(account);
      // Nothing changed in AWS, so no event comes: promotion starts here.
      this.deps.promotion.promote(arn).catch(() => undefined);
      return this.gates(arn);
    }
    try {
      if (approval) {
        const status = decision === 'approve' ? 'Approved' : 'Rejected';
        await (
          await this.deps.clients.create(CodePipelineClient, version.accountId)
        ).send(
          new PutApprovalResultCommand({
            pipelineName: approval.pipelineName,
            stageName: approval.stageName,
            actionName: approval.actionName,
            token: approval.token,
            result: {
              status,
              summary: `${status} by ${actor}: ${reason}${
                request.override
                  ? ` (checklist overridden: ${request.override})`
                  : ''
              }`,
            },
          }),
        );
      } else {
        const status = decision === 'approve' ? 'Approved' : 'Rejected';
        await (
          await this.deps.clients.create(SageMakerClient, version.accountId)
        ).send(
          new UpdateModelPackageCommand({
            ModelPackageArn: arn,
            ModelApprovalStatus: status,
            ApprovalDescription: `${status} by ${actor}: ${reason}`.slice(
              0,
              1024,
            ),
          }),
        );
      }
    } catch (e: any) {
      await this.deps.decisions.release(arn, gate);
      await record('failed', { error: `${e?.name}: ${e?.message}` });
      throw e;
    }
    await record(
      'ok',
      request.override ? { override: request.override } : undefined,
    );
    this.viewCache.delete(central?.arn ?? arn);
    await this.deps.sync.sync(account);
    // No StartPipelineExecution here: the pipeline's own EventBridge rule starts it on the
    // central group's state change, as it does for an approval made in the console.
    return this.gates(arn);
  }

  /**
   * Who registered a version, from what SageMaker reports (`CreatedBy`), never
   * from metadata or tags the registrant writes; the user only through
   * `mlRegistry.gates.identities`.
   */
  private registrantOf(version: ModelVersionRecord): Registrant {
    const user = userOfIdentity(this.deps.policy, version.createdBy);
    return {
      ...(version.createdBy ? { identity: version.createdBy } : {}),
      ...(user ? { user } : {}),
    };
  }

  /** Why `actor` may not approve this gate of this version, if they may not. */
  private async dutiesConflict(
    actor: string,
    registrant: Registrant,
    gate: DecisionGate,
    lineage: string[],
  ): Promise<string | undefined> {
    if (registrant.user === actor)
      return `${actor} registered this version (as ${registrant.identity}) and may not approve it`;
    if (
      !registrant.user &&
      REGISTRY_GATES.includes(gate) &&
      this.deps.policy.unknownRegistrant === 'refuse'
    ) {
      return `this version was registered by ${
        registrant.identity ?? 'an identity SageMaker did not report'
      }, which no Backstage user is mapped to (mlRegistry.gates.identities), and policy refuses its approval (mlRegistry.gates.unknownRegistrant: refuse)`;
    }
    const others = (await this.deps.decisions.list(lineage)).filter(
      d =>
        d.actor === actor &&
        d.decision === 'approve' &&
        !d.gate.startsWith(gate),
    );
    if (others.length)
      return `${actor} already approved ${others[0].gate.replace(
        /:first-approval$/,
        '',
      )} of this version`;
    return undefined;
  }

  /** Retries a failed promotion (`arn` a dev version) or a deployment that failed, stalled or never started (`arn` a central version). */
  async retry(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    arn: string,
    retry?: DeployRetry,
  ): Promise<VersionGates> {
    const actor = credentials.principal.userEntityRef;
    const { version, dev, central } = await this.lineage(arn);
    const gate: DecisionGate = version.sourceArn
      ? 'central-approval'
      : 'dev-approval';
    const [verdict] = await this.deps.permissions.authorize(
      [{ permission: PERMISSIONS[gate], resourceRef: arn }],
      { credentials },
    );
    if (verdict.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${actor} may not retry: ${PERMISSIONS[gate].name} is not allowed for them`,
      );
    }
    if (!version.sourceArn) {
      if (retry)
        throw new InputError(
          `retry: ${retry} retries a deployment; ${arn} is a dev version, whose promotion is retried without it`,
        );
      const promotion = await this.deps.promotions.get(arn);
      if (central || promotion?.status !== 'failed') {
        throw new ConflictError(
          `Only a failed promotion can be retried; ${arn} is ${
            central
              ? `promoted to ${central.arn}`
              : promotion?.status ?? 'not being promoted'
          }`,
        );
      }
      await this.deps.audit.append({
        actor,
        action: 'retry',
        gate: 'promotion',
        arn,
        result: 'ok',
      });
      await this.deps.promotion.promote(arn);
    } else {
      const { clients, audit, policy, platform } = this.deps;
      const run =
        version.approvalStatus === 'Approved'
          ? await this.pipelineApproval(version)
          : undefined;
      await retryDeploy(
        { clients, audit, watch: policy.deploy, region: platform.region },
        { actor, central: version, run, retry: retry ?? 'pipeline' },
      );
      this.viewCache.delete(arn);
    }
    return this.gates(dev?.arn ?? arn);
  }

  /**
   * What views read from AWS about a central version (the pipeline state and,
   * while the governance gate waits, its checklist), as last read: open model
   * pages re-read the gates every few seconds, and many viewers need not mean
   * many AWS calls. One read per version at a time, whoever asks; at most
   * VIEW_CACHE_MAX versions kept; reads per account bounded by `reads`.
   * Decisions always read afresh (they need the current approval token).
   */
  private readonly viewCache = new Map<
    string,
    { at: number; value: Promise<AwsView> }
  >();
  private readonly reads = new AwsReadQueue({ concurrency: 4, queue: 32 });
  /**
   * Each version's last view read from AWS, answered (stale, with the account
   * and since when) while its account cannot be reached; bounded as the cache.
   */
  private readonly lastRead = new Map<string, { at: Date; view: AwsView }>();

  private cachedAwsView(central: ModelVersionRecord): Promise<AwsView> {
    const hit = this.viewCache.get(central.arn);
    if (hit && Date.now() - hit.at < VIEW_CACHE_MS) return hit.value;
    const account = this.account(central.accountId)!;
    const value = this.reads
      .run(central.accountId, () =>
        reaching(account, async () => {
          const approval = await this.pipelineApproval(central);
          const view = {
            approval,
            ...(approval?.status === 'InProgress'
              ? { checklist: await this.checklist(central, undefined) }
              : {}),
          };
          this.remember(this.lastRead, central.arn, { at: new Date(), view });
          return view;
        }),
      )
      .catch(e => {
        const last = this.lastRead.get(central.arn);
        if (e instanceof AccountUnreachableError && last) {
          return {
            ...last.view,
            stale: {
              since: last.at.toISOString(),
              account: { accountId: account.accountId, name: account.name },
              reason: e.reason,
            },
          };
        }
        this.viewCache.delete(central.arn);
        throw e;
      });
    this.remember(this.viewCache, central.arn, { at: Date.now(), value });
    return value;
  }

  private remember<V>(cache: Map<string, V>, arn: string, value: V) {
    cache.delete(arn);
    cache.set(arn, value);
    // Maps keep insertion order: the first key is the least recently read.
    if (cache.size > VIEW_CACHE_MAX) cache.delete(cache.keys().next().value!);
  }

  /** The deploy pipeline's manual approval, when the pipeline deploys this central version. */
  private async pipelineApproval(
    central: ModelVersionRecord,
  ): Promise<PipelineApproval | undefined> {
    if (
      !central.sourceArn &&
      this.account(central.accountId)?.stage !== 'shared-services'
    )
      return undefined;
    const pipelineName = this.deps.policy.pipelineName(central.groupName);
    const codepipeline = await this.deps.clients.create(
      CodePipelineClient,
      central.accountId,
    );
    // Only a pipeline that does not exist means none deploys the version; an unreachable account is no answer.
    const definition = await codepipeline
      .send(new GetPipelineCommand({ name: pipelineName }))
      .catch(e => {
        if (e?.name === 'PipelineNotFoundException') return undefined;
        throw e;
      });
    if (!definition?.pipeline) return undefined;
    const state = await codepipeline.send(
      new GetPipelineStateCommand({ name: pipelineName }),
    );
    const manual = definition.pipeline.stages?.flatMap(s =>
      (s.actions ?? [])
        .filter(a => a.actionTypeId?.category === 'Approval')
        .map(a => ({ stage: s.name!, action: a.name! })),
    )[0];
    if (!manual) return undefined;
    // A stage the latest execution has not reached shows an earlier execution's state, as GetPipelineState does: only the latest run's count.
    const latestRun =
      state.stageStates?.[0]?.latestExecution?.pipelineExecutionId;
    const ofLatestRun = (s: {
      latestExecution?: { pipelineExecutionId?: string };
    }) => s.latestExecution?.pipelineExecutionId === latestRun;
    const stages = Object.fromEntries(
      (state.stageStates ?? []).map(s => [
        s.stageName!,
        ofLatestRun(s) ? s.latestExecution?.status : undefined,
      ]),
    );
    const stageStates = (state.stageStates ?? []).filter(ofLatestRun);
    // The latest run deploys what its build resolved; before its build has run, the group's newest approved version, which the build resolves.
    const deploys = latestRun
      ? await this.deployedBy(codepipeline, pipelineName, latestRun)
      : undefined;
    const newest = (
      await this.deps.versions.versionsPage(
        central.accountId,
        central.groupName,
        {
          offset: 0,
          limit: 1,
          sortBy: 'version',
          order: 'desc',
          status: 'Approved',
        },
      )
    ).items[0]?.arn;
    const run = {
      pipelineName,
      stageName: manual.stage,
      actionName: manual.action,
      ...(latestRun ? { executionId: latestRun } : {}),
      ...(deploys ? { deploys } : {}),
    };
    // The group's newest approved version, approved after the latest run started (or with no run at all) and not what that run
    // deploys (a version approved again while its run waits is still deployed by it): the pipeline's rule owes it a run.
    if (
      newest === central.arn &&
      deploys !== central.arn &&
      central.approvalStatus === 'Approved'
    ) {
      const [latest] =
        (
          await codepipeline.send(
            new ListPipelineExecutionsCommand({ pipelineName, maxResults: 1 }),
          )
        ).pipelineExecutionSummaries ?? [];
      if (!latest?.startTime || latest.startTime < central.lastModifiedAt) {
        return {
          ...run,
          stages: {},
          stageStates: [],
          status: 'not started',
          notStartedSince: central.lastModifiedAt,
        };
      }
    }
    if ((deploys ?? newest) !== central.arn)
      return {
        ...run,
        stages: {},
        stageStates: [],
        status: 'deploying another version',
      };
    const approvalStage = state.stageStates?.find(
      s => s.stageName === manual.stage,
    );
    const action =
      approvalStage && ofLatestRun(approvalStage)
        ? approvalStage.actionStates?.find(a => a.actionName === manual.action)
        : undefined;
    return {
      ...run,
      stages,
      stageStates,
      status: action?.latestExecution?.status,
      summary: action?.latestExecution?.summary,
      ...(action?.latestExecution?.status === 'InProgress' &&
      action.latestExecution.token
        ? { token: action.latestExecution.token }
        : {}),
    };
  }

  /** The version an execution deploys: its Build action's output variable, once the build ran. */
  private async deployedBy(
    codepipeline: CodePipelineClient,
    pipelineName: string,
    pipelineExecutionId: string,
  ): Promise<string | undefined> {
    const { actionExecutionDetails = [] } = await codepipeline.send(
      new ListActionExecutionsCommand({
        pipelineName,
        filter: { pipelineExecutionId },
      }),
    );
    // Newest first: a retried build's latest output counts.
    return actionExecutionDetails.find(
      a =>
        a.input?.actionTypeId?.category === 'Build' &&
        a.output?.outputVariables?.[DEPLOYED_VERSION_VARIABLE],
    )?.output?.outputVariables?.[DEPLOYED_VERSION_VARIABLE];
  }

  private checklist(
    central: ModelVersionRecord,
    actor: string | undefined,
    accessReviewed?: boolean,
  ): Promise<ChecklistItem[]> {
    return governanceChecklist(
      { clients: this.deps.clients, thresholds: this.deps.policy.thresholds },
      central,
      actor,
      accessReviewed,
    );
  }

  /** A page of the audit trail of the lineage of `arn`, oldest first. */
  async auditPage(
    arn: string,
    options: { limit: number; cursor?: string },
  ): Promise<AuditPage> {
    const { dev, central } = await this.lineage(arn);
    const lineage = [dev?.arn, central?.arn].filter((a): a is string => !!a);
    const page = await this.deps.audit.page(lineage, {
      limit: options.limit,
      ...(options.cursor ? { after: Number(options.cursor) } : {}),
    });
    return {
      items: page.items.map(({ id: _position, ...entry }) => ({
        ...entry,
        at: entry.at.toISOString(),
      })),
      ...(page.next !== undefined ? { nextCursor: String(page.next) } : {}),
    };
  }

  /** What approvers of a pending registry gate must know when nobody is known to have registered the version. */
  private unknownRegistrantNotice(
    gate: DecisionGate,
    registrant: Registrant | undefined,
    first: GateDecision | undefined,
  ): Pick<GateState, 'notice'> {
    if (
      !this.deps.policy.separationOfDuties ||
      !registrant ||
      registrant.user ||
      !REGISTRY_GATES.includes(gate)
    )
      return {};
    const who = `Registered by ${
      registrant.identity ?? 'an identity SageMaker did not report'
    }, which no Backstage user is mapped to`;
    if (this.deps.policy.unknownRegistrant === 'refuse')
      return { notice: `${who}: policy refuses its approval.` };
    return {
      notice: first
        ? `${who}: approved first by ${first.actor}; a second, different approver decides.`
        : `${who}: two different approvers must approve.`,
    };
  }

  /** The version's six gates, its governance checklist when it waits there, and its newest audit entries. */
  async gates(arn: string): Promise<VersionGates> {
    const { dev, central } = await this.lineage(arn);
    const lineage = [dev?.arn, central?.arn].filter((a): a is string => !!a);
    const [audit, decisions, promotion, deployments] = await Promise.all([
      this.deps.audit.latest(lineage, GATES_AUDIT_LIMIT),
      this.deps.decisions.list(lineage),
      dev ? this.deps.promotions.get(dev.arn) : undefined,
      central
        ? this.deps.endpoints.listEndpoints({ modelPackageArns: [central.arn] })
        : [],
    ]);
    const { approval, checklist, stale } =
      central?.approvalStatus === 'Approved'
        ? await this.cachedAwsView(central)
        : ({} as AwsView);
    const registrant = dev ? this.registrantOf(dev) : undefined;
    // Who set a status decided outside Backstage, as SageMaker reported it.
    const outsideBy = async (
      v: ModelVersionRecord | undefined,
      gate: DecisionGate,
    ) =>
      v &&
      STATE_OF_STATUS[v.approvalStatus] &&
      !decisions.some(d => d.arn === v.arn && d.gate === gate)
        ? statusSetBy(this.deps.versions, v.arn)
        : undefined;
    const setBy = {
      'dev-approval': await outsideBy(dev, 'dev-approval'),
      'central-approval': await outsideBy(central, 'central-approval'),
    };
    const decided = (
      v: ModelVersionRecord | undefined,
      gate: 'dev-approval' | 'central-approval',
    ): GateState => {
      const mine = decisions.find(d => d.arn === v?.arn && d.gate === gate);
      if (!v) return { gate, state: 'waiting' };
      const state = STATE_OF_STATUS[v.approvalStatus] ?? 'pending';
      if (state === 'pending')
        return {
          gate,
          state,
          ...this.unknownRegistrantNotice(
            gate,
            registrant,
            decisions.find(
              d => d.arn === v.arn && d.gate === firstApprovalOf(gate),
            ),
          ),
        };
      // Decided in Backstage: who and why from the decision; outside it (console, CLI): from the registry, with the AWS identity.
      if (mine)
        return {
          gate,
          state,
          actor: mine.actor,
          at: mine.decidedAt.toISOString(),
          reason: mine.reason,
        };
      const identity = setBy[gate];
      const promoted =
        gate === 'dev-approval' && state === 'approved'
          ? { promoted: isExternalApprover(this.deps.policy, identity) }
          : {};
      return {
        gate,
        state,
        ...(v.approvalDescription ? { reason: v.approvalDescription } : {}),
        at: v.lastModifiedAt.toISOString(),
        external: { ...(identity ? { identity } : {}), ...promoted },
      };
    };
    const stageOf = (accountId: string) => this.account(accountId)?.stage;
    const deployed = (stage: string) =>
      deployments.find(e => stageOf(e.accountId) === stage);
    const deployGate = (
      gate: 'test-deploy' | 'prod-deploy',
      stage: 'test' | 'prod',
      after: boolean,
    ): GateState => {
      const endpoint = deployed(stage);
      if (endpoint?.status === 'InService')
        return {
          gate,
          state: 'done',
          at: endpoint.lastModifiedAt.toISOString(),
          reason: `${endpoint.name} InService`,
        };
      // The stages before the manual approval (source, build, test deploy, integration test) make
      // the test deployment; those after it the prod deployment, whatever the pipeline names them.
      const trouble =
        approval &&
        deployTrouble(approval, stage, {
          watch: this.deps.policy.deploy,
          region: this.deps.platform.region,
          now: new Date(),
        });
      if (trouble) return { gate, ...trouble };
      return { gate, state: after ? 'pending' : 'waiting' };
    };
    const governance = (): GateState => {
      const gate = 'governance-approval';
      const mine =
        central &&
        decisions.find(d => d.arn === central.arn && d.gate === gate);
      if (approval?.status === 'InProgress') return { gate, state: 'pending' };
      if (approval?.status === 'Succeeded')
        return {
          gate,
          state: 'approved',
          ...(mine
            ? {
                actor: mine.actor,
                at: mine.decidedAt.toISOString(),
                reason: mine.reason,
              }
            : { reason: approval.summary }),
        };
      if (approval?.status === 'Failed')
        return {
          gate,
          state: 'rejected',
          ...(mine
            ? {
                actor: mine.actor,
                at: mine.decidedAt.toISOString(),
                reason: mine.reason,
              }
            : { reason: approval.summary }),
        };
      if (deployed('prod')?.status === 'InService')
        return { gate, state: 'approved' };
      return { gate, state: 'waiting' };
    };
    const devGate = decided(dev, 'dev-approval');
    // Done once the promotion finished every step (or, promoted outside Backstage, once a central copy exists).
    let promotionGate: GateState = {
      gate: 'promotion',
      state: devGate.state === 'approved' ? 'pending' : 'waiting',
    };
    if (devGate.external?.promoted === false && !promotion && !central) {
      promotionGate = {
        gate: 'promotion',
        state: 'waiting',
        notice:
          'Approved outside Backstage: not promoted. An approver of the dev gate adopts the approval here to promote it.',
      };
    } else if (promotion?.status === 'failed') {
      promotionGate = {
        gate: 'promotion',
        state: 'failed',
        reason: promotion.error,
        at: promotion.updatedAt.toISOString(),
      };
    } else if (central && promotion?.status !== 'running') {
      promotionGate = {
        gate: 'promotion',
        state: 'done',
        reason: `promoted to ${central.arn}`,
        ...(promotion ? { at: promotion.updatedAt.toISOString() } : {}),
      };
    }
    const centralGate = central
      ? decided(central, 'central-approval')
      : { gate: 'central-approval' as const, state: 'waiting' as const };
    const testGate = deployGate(
      'test-deploy',
      'test',
      centralGate.state === 'approved',
    );
    const governanceGate = governance();
    const prodGate = deployGate(
      'prod-deploy',
      'prod',
      governanceGate.state === 'approved',
    );
    return {
      ...(dev ? { devArn: dev.arn } : {}),
      ...(central ? { centralArn: central.arn } : {}),
      gates: [
        devGate,
        promotionGate,
        centralGate,
        testGate,
        governanceGate,
        prodGate,
      ],
      ...(governanceGate.state === 'pending' && checklist ? { checklist } : {}),
      audit: audit.map(a => ({ ...a, at: a.at.toISOString() })),
      ...(stale ? { stale } : {}),
    };
  }
}
