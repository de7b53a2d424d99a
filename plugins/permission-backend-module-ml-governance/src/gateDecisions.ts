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
  DecisionGate,
  mlCentralApprovalPermission,
  mlDevApprovalPermission,
  mlGovernanceApprovalPermission,
  mlModelVersionConditions,
} from '@ml-governance/plugin-ml-registry-common';

const PERMISSION_OF = {
  'dev-approval': mlDevApprovalPermission,
  'central-approval': mlCentralApprovalPermission,
  'governance-approval': mlGovernanceApprovalPermission,
};

const GATE_OF: Record<string, DecisionGate> = Object.fromEntries(
  Object.entries(PERMISSION_OF).map(([gate, permission]) => [
    permission.name,
    gate as DecisionGate,
  ]),
);

/** The gate a permission request decides, if it is a gate permission. */
export function gateOf(request: PolicyQuery): DecisionGate | undefined {
  return GATE_OF[request.permission.name];
}

/**
 * Who decides a gate, on which versions: members of the gate's approver
 * groups, a lead data scientist only on the versions of their own team's dev
 * accounts (`mlRegistry.accounts[].team`), ML engineers and governance
 * officers on the central registry's. The ML registry backend evaluates the
 * conditions against the version.
 */
export function gateDecision(
  gate: DecisionGate,
  approvers: string[],
  user?: PolicyQueryUser,
): PolicyDecision {
  if (!user) return { result: AuthorizeResult.DENY };
  const refs = user.info.ownershipEntityRefs;
  if (!approvers.some(ref => refs.includes(ref)))
    return { result: AuthorizeResult.DENY };
  const { IS_IN_STAGE, IS_TEAM_ACCOUNT } = mlModelVersionConditions;
  if (gate === 'dev-approval') {
    return createMlModelVersionConditionalDecision(PERMISSION_OF[gate], {
      allOf: [
        IS_IN_STAGE({ stages: ['dev'] }),
        IS_TEAM_ACCOUNT({
          teams: refs.filter(ref => ref.startsWith('group:')),
        }),
      ],
    });
  }
  return createMlModelVersionConditionalDecision(
    PERMISSION_OF[gate],
    IS_IN_STAGE({ stages: ['shared-services'] }),
  );
}
