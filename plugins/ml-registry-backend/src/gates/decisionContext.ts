import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import {
  GateDecisionRequest,
  MlAccount,
} from '@ml-governance/plugin-ml-registry-common';
import { AuditLog, AuditRecord } from '../database/AuditLog';
import { GateLineage } from './gateLineage';

export interface DecisionRequest extends GateDecisionRequest {
  credentials: BackstageCredentials<BackstageUserPrincipal>;
}

/** One decision under way: who decides what, on which lineage, and its audit trail. */
export interface DecisionContext {
  request: DecisionRequest;
  actor: string;
  /** The decider's reason, trimmed and present. */
  reason: string;
  lineage: GateLineage;
  account: MlAccount;
  /** Appends this decision's outcome to the audit log. */
  record: (
    result: AuditRecord['result'],
    detail?: Record<string, unknown>,
  ) => Promise<void>;
}

export function decisionContext(
  audit: AuditLog,
  request: DecisionRequest,
  reason: string,
  lineage: GateLineage,
  account: MlAccount,
): DecisionContext {
  const { arn, gate, decision } = request;
  const actor = request.credentials.principal.userEntityRef;
  return {
    request,
    actor,
    reason,
    lineage,
    account,
    record: (result, detail) =>
      audit.append({
        actor,
        action: decision,
        gate,
        arn,
        reason,
        result,
        ...(detail ? { detail } : {}),
      }),
  };
}
