import { UserInfoService } from '@backstage/backend-plugin-api';
import { AuthorizeResult, PolicyDecision } from '@backstage/plugin-permission-common';
import { PermissionPolicy, PolicyQuery, PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
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
