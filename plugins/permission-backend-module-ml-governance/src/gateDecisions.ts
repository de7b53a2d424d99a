import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  createMlModelVersionConditionalDecision,
  DECISION_GATE_TABLE,
  DecisionGate,
  gateOfPermission,
  mlModelVersionConditions,
} from '@ml-governance/plugin-ml-registry-common';

/** The gate a permission request decides, if it is a gate permission. */
export function gateOf(request: PolicyQuery): DecisionGate | undefined {
  return gateOfPermission(request.permission.name);
}

/**
 * Who decides a gate, on which versions: the gate's approvers as the ML
 * registry backend resolves them for the version (`mlRegistry.gates.approvers`,
 * or a backend module's resolver), a lead data scientist only on the versions
 * of their own team's dev accounts (`mlRegistry.accounts[].team`), ML
 * engineers and governance officers on the central registry's. The ML
 * registry backend evaluates the conditions against the version.
 */
export function gateDecision(
  gate: DecisionGate,
  user?: PolicyQueryUser,
): PolicyDecision {
  if (!user) return { result: AuthorizeResult.DENY };
  const refs = user.info.ownershipEntityRefs;
  const { IS_GATE_APPROVER, IS_IN_STAGE, IS_TEAM_ACCOUNT } =
    mlModelVersionConditions;
  const { permission, stage } = DECISION_GATE_TABLE[gate];
  // Dev accounts belong to teams; the central registry serves them all.
  return createMlModelVersionConditionalDecision(permission, {
    allOf: [
      IS_GATE_APPROVER({ gate, claims: refs }),
      IS_IN_STAGE({ stages: [stage] }),
      ...(stage === 'dev'
        ? [
            IS_TEAM_ACCOUNT({
              teams: refs.filter(ref => ref.startsWith('group:')),
            }),
          ]
        : []),
    ],
  });
}
