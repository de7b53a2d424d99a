import {
  PermissionCondition,
  PermissionCriteria,
} from '@backstage/plugin-permission-common';
import { MlAccount } from '@ml-governance/plugin-ml-registry-common';
import { RESOURCE_TYPE_SCAFFOLDER_ACTION } from '@backstage/plugin-scaffolder-common/alpha';

/**
 * The actions that make something in one team's dev account, which their
 * `account` input names: domains and user profiles (ML Admin), projects and
 * model package groups (experiments).
 */
export const TEAM_ACCOUNT_ACTIONS = [
  'sagemaker:domain:create',
  'sagemaker:user-profile:create',
  'sagemaker:project:create',
  'sagemaker:model-package-group:create',
];

export const hasActionId = (actionId: string): PermissionCondition => ({
  rule: 'HAS_ACTION_ID',
  resourceType: RESOURCE_TYPE_SCAFFOLDER_ACTION,
  params: { actionId },
});

/**
 * The team-account actions a user may not run: those whose `account` is not
 * the dev account (`mlRegistry.accounts[].team`) of a team the user is in. The
 * scaffolder applies it to each step's rendered input (HAS_STRING_PROPERTY),
 * so no template, parameter or templating expression reaches another team's account.
 */
export function outsideOwnTeam(
  accounts: MlAccount[],
  ownershipRefs: string[],
): PermissionCriteria<PermissionCondition> {
  const refs = new Set(ownershipRefs);
  const [first, ...rest] = accounts
    .filter(a => a.stage === 'dev' && a.team && refs.has(a.team))
    .map(
      (a): PermissionCondition => ({
        rule: 'HAS_STRING_PROPERTY',
        resourceType: RESOURCE_TYPE_SCAFFOLDER_ACTION,
        params: { key: 'account', value: a.name },
      }),
    );
  const [action, ...actions] = TEAM_ACCOUNT_ACTIONS.map(hasActionId);
  const teamAccountAction = {
    anyOf: [action, ...actions],
  } as PermissionCriteria<PermissionCondition>;
  return first
    ? { allOf: [teamAccountAction, { not: { anyOf: [first, ...rest] } }] }
    : teamAccountAction;
}
