import {
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CodePipelineClient,
  PutApprovalResultCommand,
} from '@aws-sdk/client-codepipeline';
import {
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import {
  DECISION_GATE_TABLE,
  DecisionGate,
  MlAccount,
} from '@ml-governance/plugin-ml-registry-common';
import { AwsClientFactory } from '@ml-governance/plugin-ml-registry-node';
import { AuditLog } from '../database/AuditLog';
import { PromotionStore } from '../database/PromotionStore';
import { AccountSync } from '../sync/AccountSync';
import {
  DecisionContext,
  decisionContext,
  DecisionRequest,
} from './decisionContext';
import { GateLineage, lineageArns } from './gateLineage';
import {
  checkGovernanceDecision,
  GovernanceDecisionDeps,
} from './governanceDecision';
import { PipelineApproval } from './pipelineApproval';
import { Promotion } from './Promotion';
import { checkRegistryDecision, RegistryCheck } from './registryDecision';
import {
  dutiesConflict,
  firstApprovalOf,
  registeredBy,
  registrantOf,
  registrantUnknown,
} from './separationOfDuties';

/** Whether the user may decide `gate` of the version `arn`, as the permission policy says. */
export async function mayDecide(
  permissions: PermissionsService,
  credentials: BackstageCredentials<BackstageUserPrincipal>,
  gate: DecisionGate,
  arn: string,
): Promise<boolean> {
  const [verdict] = await permissions.authorize(
    [{ permission: DECISION_GATE_TABLE[gate].permission, resourceRef: arn }],
    { credentials },
  );
  return verdict.result === AuthorizeResult.ALLOW;
}

export interface GateDeciderDeps extends GovernanceDecisionDeps {
  clients: AwsClientFactory;
  permissions: PermissionsService;
  promotions: PromotionStore;
  audit: AuditLog;
  promotion: Promotion;
  sync: AccountSync;
  lineage: (arn: string) => Promise<GateLineage>;
  account: (accountId: string) => MlAccount | undefined;
  /** Called once AWS holds a decision, so views read it afresh. */
  decided: (arn: string) => void;
}

/**
 * Takes a gate decision: checks the gate is the version's, the permission,
 * separation of duties and what AWS says now, claims the gate so two people
 * deciding at once cannot both act, tells AWS, and records every outcome in
 * the audit log with who, when, why and how it ended.
 */
export class GateDecider {
  constructor(private readonly deps: GateDeciderDeps) {}

  async decide(request: DecisionRequest): Promise<void> {
    const reason = request.reason?.trim();
    if (!reason) throw new InputError('reason: say why, in a few words');
    const lineage = await this.deps.lineage(request.arn);
    const account = this.gateAccount(request, lineage);
    const ctx = decisionContext(
      this.deps.audit,
      request,
      reason,
      lineage,
      account,
    );
    await this.authorize(ctx);
    const approving = request.decision === 'approve';
    const registrant = registrantOf(
      this.deps.policy,
      lineage.dev ?? lineage.version,
    );
    if (this.deps.policy.separationOfDuties && approving) {
      const decisions = await this.deps.decisions.list(lineageArns(lineage));
      const conflict = dutiesConflict(
        this.deps.policy,
        ctx.actor,
        registrant,
        request.gate,
        decisions,
      );
      if (conflict) {
        await ctx.record('denied', { why: conflict });
        throw new NotAllowedError(`Separation of duties: ${conflict}`);
      }
    }
    let approval: PipelineApproval | undefined;
    let registry: RegistryCheck = {};
    if (DECISION_GATE_TABLE[request.gate].registry) {
      registry = await checkRegistryDecision(this.deps, ctx);
    } else {
      const check = await checkGovernanceDecision(this.deps, ctx);
      if ('waitsForSecondOfficer' in check) return;
      approval = check.approval;
    }
    const secondApproverNeeded =
      approving &&
      registrantUnknown(this.deps.policy, request.gate, registrant);
    if (secondApproverNeeded && (await this.firstOfTwo(ctx, registrant)))
      return;
    await this.claim(ctx);
    if (registry.approvedOutside) {
      await this.adopt(ctx, registry.approvedOutside);
      return;
    }
    await this.tellAws(ctx, approval);
  }

  /** The version's account, refused (400) when the gate does not act on versions of its stage. */
  private gateAccount(
    request: DecisionRequest,
    lineage: GateLineage,
  ): MlAccount {
    const { arn, gate } = request;
    const { version } = lineage;
    const account = this.deps.account(version.accountId);
    const stage = DECISION_GATE_TABLE[gate].stage;
    if (account?.stage !== stage) {
      throw new InputError(
        `gate ${gate} acts on versions in a ${stage} account; ${arn} is in ${
          account?.name ?? version.accountId
        } (${account?.stage ?? 'not configured'})`,
      );
    }
    return account;
  }

  private async authorize(ctx: DecisionContext): Promise<void> {
    const { arn, gate, credentials } = ctx.request;
    if (await mayDecide(this.deps.permissions, credentials, gate, arn)) return;
    const { name } = DECISION_GATE_TABLE[gate].permission;
    await ctx.record('denied', {
      why: `${name} is not allowed on ${ctx.account.name}`,
    });
    throw new NotAllowedError(
      `${ctx.actor} may not decide ${gate} of ${arn}: ${name} is not allowed for them on versions of ${ctx.account.name}`,
    );
  }

  /**
   * The first of two approvals a version of an unknown registrant needs:
   * claims it and returns true, or returns false when another approver
   * claimed it already (this one is the second).
   */
  private async firstOfTwo(
    ctx: DecisionContext,
    registrant: { identity?: string },
  ): Promise<boolean> {
    const { arn, gate, decision } = ctx.request;
    const first = await this.deps.decisions.claim({
      arn,
      gate: firstApprovalOf(gate),
      actor: ctx.actor,
      decision,
      reason: ctx.reason,
      decidedAt: new Date(),
    });
    const by = registeredBy(registrant);
    if (first.claimed) {
      await ctx.record('ok', {
        firstOfTwo: `registered by ${by}, which no Backstage user is mapped to: a second approver decides`,
      });
      return true;
    }
    if (first.existing.actor === ctx.actor) {
      await ctx.record('denied', {
        why: 'the second approval must come from someone else',
      });
      throw new NotAllowedError(
        `Separation of duties: ${arn} was registered by ${by}, which no Backstage user is mapped to; ${ctx.actor} approved first, and a second, different approver must approve`,
      );
    }
    return false;
  }

  private async claim(ctx: DecisionContext): Promise<void> {
    const { arn, gate, decision } = ctx.request;
    const claim = await this.deps.decisions.claim({
      arn,
      gate,
      actor: ctx.actor,
      decision,
      reason: ctx.reason,
      decidedAt: new Date(),
    });
    if (claim.claimed) return;
    const { existing } = claim;
    await ctx.record('conflict', { decidedBy: existing.actor });
    throw new ConflictError(
      `${gate} of ${arn} was already decided: ${existing.decision} by ${
        existing.actor
      } at ${existing.decidedAt.toISOString()}`,
    );
  }

  /** Adopts a dev approval made outside Backstage: nothing changes in AWS, so no event comes and promotion starts here. */
  private async adopt(
    ctx: DecisionContext,
    approvedOutside: { identity?: string },
  ): Promise<void> {
    await ctx.record('ok', {
      adopted: `approved outside Backstage by ${
        approvedOutside.identity ?? 'an identity SageMaker did not report'
      }`,
    });
    await this.deps.sync.sync(ctx.account);
    this.deps.promotion.promote(ctx.request.arn).catch(() => undefined);
  }

  /**
   * Tells AWS: the pipeline's manual approval, or the registry status. No
   * StartPipelineExecution here: the pipeline's own EventBridge rule starts
   * it on the central group's state change, as it does for an approval made
   * in the console. AWS refusing gives the gate back.
   */
  private async tellAws(
    ctx: DecisionContext,
    approval: PipelineApproval | undefined,
  ): Promise<void> {
    const { arn, gate, override } = ctx.request;
    try {
      if (approval) await this.answerPipeline(ctx, approval);
      else await this.setRegistryStatus(ctx);
    } catch (e: any) {
      await this.deps.decisions.release(arn, gate);
      await ctx.record('failed', { error: `${e?.name}: ${e?.message}` });
      throw e;
    }
    await ctx.record('ok', override ? { override } : undefined);
    this.deps.decided(ctx.lineage.central?.arn ?? arn);
    await this.deps.sync.sync(ctx.account);
  }

  private async answerPipeline(
    ctx: DecisionContext,
    approval: PipelineApproval,
  ): Promise<void> {
    const { decision, override } = ctx.request;
    const status = decision === 'approve' ? 'Approved' : 'Rejected';
    const codepipeline = await this.deps.clients.create(
      CodePipelineClient,
      ctx.lineage.version.accountId,
    );
    await codepipeline.send(
      new PutApprovalResultCommand({
        pipelineName: approval.pipelineName,
        stageName: approval.stageName,
        actionName: approval.actionName,
        token: approval.token,
        result: {
          status,
          summary: `${status} by ${ctx.actor}: ${ctx.reason}${
            override ? ` (checklist overridden: ${override})` : ''
          }`,
        },
      }),
    );
  }

  private async setRegistryStatus(ctx: DecisionContext): Promise<void> {
    const status = ctx.request.decision === 'approve' ? 'Approved' : 'Rejected';
    const sagemaker = await this.deps.clients.create(
      SageMakerClient,
      ctx.lineage.version.accountId,
    );
    // SageMaker caps ApprovalDescription at 1024 characters.
    await sagemaker.send(
      new UpdateModelPackageCommand({
        ModelPackageArn: ctx.request.arn,
        ModelApprovalStatus: status,
        ApprovalDescription: `${status} by ${ctx.actor}: ${ctx.reason}`.slice(
          0,
          1024,
        ),
      }),
    );
  }
}
