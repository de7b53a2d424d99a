import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { ChecklistItem } from '@ml-governance/plugin-ml-registry-common';
import { GateDecisionStore } from '../database/GateDecisionStore';
import { ModelVersionRecord } from '../database/VersionStore';
import { DecisionContext } from './decisionContext';
import { GatePolicy } from './gatePolicy';
import {
  DEPLOYED_VERSION_VARIABLE,
  PipelineApproval,
} from './pipelineApproval';

export interface GovernanceDecisionDeps {
  decisions: GateDecisionStore;
  policy: GatePolicy;
  readApproval: (
    central: ModelVersionRecord,
  ) => Promise<PipelineApproval | undefined>;
  checklist: (
    central: ModelVersionRecord,
    actor: string | undefined,
    accessReviewed?: boolean,
  ) => Promise<ChecklistItem[]>;
}

/** A governance decision AWS is told of, or the first officer's override that waits for a second officer. */
export type GovernanceCheck =
  | { approval: PipelineApproval & { token: string } }
  | { waitsForSecondOfficer: true };

/** The waiting approval the decision answers, refused (409) when the pipeline waits for none or for another version. */
async function waitingApproval(
  deps: GovernanceDecisionDeps,
  ctx: DecisionContext,
): Promise<PipelineApproval & { token: string }> {
  const { arn } = ctx.request;
  const approval = await deps.readApproval(ctx.lineage.version);
  // The officer's approval sends to production what the waiting execution's build resolved: it must be the version decided.
  if (approval?.deploys && approval.deploys !== arn) {
    await ctx.record('conflict', {
      pipeline: approval.pipelineName,
      execution: approval.executionId,
      deploys: approval.deploys,
    });
    throw new ConflictError(
      `${arn} is not what the ${approval.pipelineName} pipeline deploys: its execution ${approval.executionId} deploys ${approval.deploys}. Decide that version, or start the pipeline again for this one.`,
    );
  }
  if (approval?.token && !approval.deploys) {
    await ctx.record('conflict', {
      pipeline: approval.pipelineName,
      execution: approval.executionId,
    });
    throw new ConflictError(
      `The ${approval.pipelineName} execution ${approval.executionId} waiting for governance approval does not say which version it deploys (its Build action exports no BuildVariables.${DEPLOYED_VERSION_VARIABLE}); recreate the pipeline from the current template`,
    );
  }
  if (!approval?.token) {
    await ctx.record('conflict', {
      pipeline: approval?.pipelineName,
      status: approval?.status,
    });
    throw new ConflictError(
      `${arn} is not waiting for governance approval (the ${
        approval?.pipelineName ?? 'deploy'
      } pipeline's approval is ${approval?.status ?? 'not reached'})`,
    );
  }
  return { ...approval, token: approval.token };
}

/**
 * An approval against a failing checklist: refused without a written reason
 * long enough; with policy asking for it, the first officer's override waits,
 * per execution, for a different officer's, and AWS is told only then.
 * Returns whether the override waits.
 */
async function override(
  deps: GovernanceDecisionDeps,
  ctx: DecisionContext,
  failing: ChecklistItem[],
  executionId: string | undefined,
): Promise<boolean> {
  const { arn, gate, decision } = ctx.request;
  const written = ctx.request.override?.trim() ?? '';
  const { minLength, needsSecondOfficer } = deps.policy.override;
  if (written.length < minLength) {
    throw new InputError(
      `override: approving against the checklist (${failing
        .map(i => i.id)
        .join(
          ', ',
        )}) needs a written reason of at least ${minLength} characters; this one has ${
        written.length
      }`,
    );
  }
  if (!needsSecondOfficer) return false;
  const first = await deps.decisions.claim({
    arn,
    gate: `${gate}:override:${executionId}`,
    actor: ctx.actor,
    decision,
    reason: written,
    decidedAt: new Date(),
  });
  if (first.claimed) {
    await ctx.record('ok', {
      override: written,
      firstOfTwo:
        'a second governance officer confirms the override (mlRegistry.gates.governance.overrideNeedsSecondOfficer)',
    });
    return true;
  }
  if (first.existing.actor === ctx.actor) {
    await ctx.record('denied', {
      why: 'the override must be confirmed by another governance officer',
    });
    throw new NotAllowedError(
      `${ctx.actor} overrode the checklist of ${arn} first: a second, different governance officer confirms the override`,
    );
  }
  return false;
}

/**
 * What a governance decision needs before AWS is told: the deploy pipeline
 * waiting for this version's approval and, to approve, the governance
 * checklist holding or overridden with a written reason.
 */
export async function checkGovernanceDecision(
  deps: GovernanceDecisionDeps,
  ctx: DecisionContext,
): Promise<GovernanceCheck> {
  const approval = await waitingApproval(deps, ctx);
  if (ctx.request.decision !== 'approve') return { approval };
  const checklist = await deps.checklist(
    ctx.lineage.version,
    ctx.actor,
    ctx.request.accessReviewed,
  );
  const failing = checklist.filter(i => !i.ok);
  if (!failing.length) return { approval };
  if (!ctx.request.override?.trim()) {
    await ctx.record('conflict', { checklist });
    throw new ConflictError(
      `The governance checklist does not hold: ${failing
        .map(i => `${i.id} (${i.evidence})`)
        .join('; ')}. Fix it, or override with a written reason.`,
    );
  }
  return (await override(deps, ctx, failing, approval.executionId))
    ? { waitsForSecondOfficer: true }
    : { approval };
}
