import { AuditLog } from '../database/AuditLog';
import { GateDecisionStore } from '../database/GateDecisionStore';
import { VersionStore } from '../database/VersionStore';
import { MlAccount } from '@ml-governance/plugin-ml-registry-common';
import { GatePolicy, isExternalApprover } from './gatePolicy';
import { Promotion } from './Promotion';

/**
 * The AWS identity that set a version's current approval status, as
 * SageMaker reported it (`LastModifiedBy`) when the sync saw the change.
 */
export async function statusSetBy(
  versions: VersionStore,
  arn: string,
): Promise<string | undefined> {
  return (await versions.history(arn)).at(-1)?.changedBy;
}

/**
 * Decides which approved dev versions promotion takes: those approved through
 * Backstage, and those approved outside it (console, CLI) by an AWS identity
 * policy lists (`mlRegistry.gates.externalApprovers`). Every approval made
 * outside Backstage is recorded once in the audit log as external, with the
 * identity SageMaker reports (`LastModifiedBy`); one that is not promoted
 * waits for an approver to adopt it through Backstage.
 */
export function promotionTrigger(deps: {
  versions: VersionStore;
  decisions: GateDecisionStore;
  audit: AuditLog;
  policy: GatePolicy;
}) {
  return async (devArn: string): Promise<boolean> => {
    // Rejected in Backstage and approved afterwards outside it: an external approval like any other.
    if (
      (await deps.decisions.get(devArn, 'dev-approval'))?.decision === 'approve'
    )
      return true;
    const version = await deps.versions.getVersion(devArn);
    if (!version) return false;
    const identity = await statusSetBy(deps.versions, devArn);
    const promoted = isExternalApprover(deps.policy, identity);
    const recorded = (await deps.audit.list([devArn])).some(
      e => e.result === 'external',
    );
    if (!recorded) {
      await deps.audit.append({
        actor: identity ?? 'aws:unreported-identity',
        action: 'approve',
        gate: 'dev-approval',
        arn: devArn,
        result: 'external',
        ...(version.approvalDescription
          ? { reason: version.approvalDescription }
          : {}),
        detail: { identity: identity ?? 'not reported by SageMaker', promoted },
      });
    }
    return promoted;
  };
}

/**
 * Promotes what a dev account holds approved: promotion owes a central copy
 * to every version approved through Backstage, or outside it by whom policy
 * trusts. Runs after each sync of an account; other accounts have nothing to
 * promote.
 */
export function promoteApproved(
  deps: Parameters<typeof promotionTrigger>[0] & { promotion: Promotion },
): (account: MlAccount) => Promise<void> {
  const mayPromote = promotionTrigger(deps);
  return async account => {
    if (account.stage === 'dev')
      await deps.promotion.reconcile(account.accountId, mayPromote);
  };
}
