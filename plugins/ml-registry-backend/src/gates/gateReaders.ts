import { AwsViewCache } from './AwsViewCache';
import { gateLineage } from './gateLineage';
import type { GateServiceDeps } from './GateService';
import { checklistOf } from './governanceChecklist';
import { GovernanceDecisionDeps } from './governanceDecision';
import { readPipelineApproval } from './pipelineApproval';

/**
 * What the gates' view, decisions and retries read alike: a configured
 * account, a version's lineage, the deploy pipeline's approval waiting for a
 * central version and its governance checklist, with the approval and
 * checklist of a version cached between reads (a decision or retry forgets
 * its version's).
 */
export function gateReaders(deps: GateServiceDeps) {
  const { clients, policy, platform } = deps;
  const account = (accountId: string) =>
    platform.accounts.find(a => a.accountId === accountId);
  const lineage = (arn: string) => gateLineage(deps, arn);
  const readApproval: GovernanceDecisionDeps['readApproval'] = central =>
    readPipelineApproval(deps, central);
  const checklist: GovernanceDecisionDeps['checklist'] = (
    central,
    actor,
    accessReviewed,
  ) =>
    checklistOf(
      policy.checklist,
      { clients, thresholds: policy.thresholds },
      central,
      actor,
      accessReviewed,
    );
  const views = new AwsViewCache(async central => {
    const approval = await readApproval(central);
    return approval?.status === 'InProgress'
      ? { approval, checklist: await checklist(central, undefined) }
      : { approval };
  });
  return { account, lineage, readApproval, checklist, views };
}

export type GateReaders = ReturnType<typeof gateReaders>;
