import { UserInfoService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { AuthorizeResult, PolicyDecision } from '@backstage/plugin-permission-common';
import { PermissionPolicy, PolicyQuery, PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  DECISION_GATES,
  DecisionGate,
  mlCentralApprovalPermission,
  mlDevApprovalPermission,
  mlGovernanceApprovalPermission,
} from '@ml-governance/plugin-ml-registry-common';

const GATE_OF: Record<string, DecisionGate> = {
  [mlDevApprovalPermission.name]: 'dev-approval',
  [mlCentralApprovalPermission.name]: 'central-approval',
  [mlGovernanceApprovalPermission.name]: 'governance-approval',
};

/** The roles of DESIGN.md section 1, as the example organisation names their groups. */
export const DEFAULT_APPROVERS: Record<DecisionGate, string[]> = {
  'dev-approval': ['group:default/lead-data-scientists'],
  'central-approval': ['group:default/ml-engineers'],
  'governance-approval': ['group:default/governance-officers'],
};

const ENTITY_REF = /^(user|group):[a-z0-9-_.]+\/[a-zA-Z0-9-_.]+$/;

/** Reads `mlRegistry.gates.approvers`; a malformed ref stops start-up naming the key. */
export function readApprovers(config: Config): Record<DecisionGate, string[]> {
  const approvers = { ...DEFAULT_APPROVERS };
  for (const gate of DECISION_GATES) {
    const key = `mlRegistry.gates.approvers.${gate}`;
    const refs = config.getOptionalStringArray(key);
    if (!refs) continue;
    refs.forEach((ref, i) => {
      if (!ENTITY_REF.test(ref)) {
        throw new InputError(`${key}[${i}]: '${ref}' is not a user or group entity ref such as group:default/ml-engineers`);
      }
    });
    approvers[gate] = refs;
  }
  return approvers;
}

/**
 * The ML governance policy: each approval gate is decided only by members of
 * its approver groups (the user's ownership refs, resolved at sign-in).
 * Every other permission is allowed, as the allow-all policy it replaces did.
 */
export class MlGovernancePolicy implements PermissionPolicy {
  constructor(
    private readonly approvers: Record<DecisionGate, string[]>,
    private readonly userInfo: UserInfoService,
  ) {}

  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const gate = GATE_OF[request.permission.name];
    if (!gate) return { result: AuthorizeResult.ALLOW };
    if (!user) return { result: AuthorizeResult.DENY };
    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(user.credentials);
    const refs = new Set(ownershipEntityRefs);
    return this.approvers[gate].some(ref => refs.has(ref))
      ? { result: AuthorizeResult.ALLOW }
      : { result: AuthorizeResult.DENY };
  }
}
