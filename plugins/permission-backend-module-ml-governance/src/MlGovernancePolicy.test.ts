import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  readApprovers,
  mlDevApprovalPermission,
  mlGovernanceApprovalPermission,
  mlRegistryReadPermission,
} from '@ml-governance/plugin-ml-registry-common';
import { MlGovernancePolicy } from './MlGovernancePolicy';

// The groups each example user belongs to, as the sign-in resolver puts them in the token.
const MEMBERS: Record<string, string[]> = {
  'user:default/leo.lead': ['user:default/leo.lead', 'group:default/lead-data-scientists'],
  'user:default/grace.governance': ['user:default/grace.governance', 'group:default/governance-officers'],
};
const user = (...refs: string[]) => ({
  credentials: mockCredentials.user(refs[0]),
  info: { userEntityRef: refs[0], ownershipEntityRefs: refs },
});
const userInfo = {
  getUserInfo: async (credentials: any) => {
    const ref = credentials.principal.userEntityRef;
    return { userEntityRef: ref, ownershipEntityRefs: MEMBERS[ref] ?? [ref] };
  },
};

describe('MlGovernancePolicy', () => {
  const policy = new MlGovernancePolicy(readApprovers(new ConfigReader({})), userInfo);

  it('lets each gate be decided by its approver group only', async () => {
    const lead = user('user:default/leo.lead', 'group:default/lead-data-scientists');
    const officer = user('user:default/grace.governance', 'group:default/governance-officers');
    expect(await policy.handle({ permission: mlDevApprovalPermission }, lead)).toEqual({ result: AuthorizeResult.ALLOW });
    expect(await policy.handle({ permission: mlDevApprovalPermission }, officer)).toEqual({ result: AuthorizeResult.DENY });
    expect(await policy.handle({ permission: mlGovernanceApprovalPermission }, officer)).toEqual({ result: AuthorizeResult.ALLOW });
    expect(await policy.handle({ permission: mlGovernanceApprovalPermission })).toEqual({ result: AuthorizeResult.DENY });
  });

  it('leaves other permissions allowed', async () => {
    expect(await policy.handle({ permission: mlRegistryReadPermission }, user('user:default/dana.scientist'))).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('takes approver groups from config and names a bad ref', () => {
    const approvers = readApprovers(new ConfigReader({ mlRegistry: { gates: { approvers: { 'central-approval': ['group:default/mlops'] } } } }));
    expect(approvers['central-approval']).toEqual(['group:default/mlops']);
    expect(approvers['dev-approval']).toEqual(['group:default/lead-data-scientists']);
    expect(() => readApprovers(new ConfigReader({ mlRegistry: { gates: { approvers: { 'dev-approval': ['leads'] } } } })))
      .toThrow("mlRegistry.gates.approvers.dev-approval[0]: 'leads' is not a user or group entity ref");
  });
});
