import {
  AuthorizeResult,
  ConditionalPolicyDecision,
  createPermission,
  PermissionCondition,
  PermissionCriteria,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { AccountStage } from './accounts';
import { DecisionGate } from './api';
import { mlRegistrySchedulerPermission } from './schedulerPermission';

/**
 * Read the ML registry: models, versions, accounts and their sync status.
 *
 * @public
 */
export const mlRegistryReadPermission = createPermission({
  name: 'ml-registry.read',
  attributes: { action: 'read' },
});

/**
 * The permission resource type of a model version: a gate decision is
 * authorized against the version it acts on, referred to by its ARN.
 *
 * @public
 */
export const ML_MODEL_VERSION_RESOURCE_TYPE = 'ml-model-version';

/**
 * A model version as the permission rules see it: where it lives and who owns it.
 *
 * @public
 */
export interface MlModelVersionResource {
  arn: string;
  accountId: string;
  stage: AccountStage;
  /** The owner team of its account (`mlRegistry.accounts[].team`), when configured. */
  team?: string;
}

/**
 * The lead data scientist's gate: approve or reject a version in a dev registry.
 *
 * @public
 */
export const mlDevApprovalPermission = createPermission({
  name: 'ml-registry.gate.dev-approval',
  attributes: { action: 'update' },
  resourceType: ML_MODEL_VERSION_RESOURCE_TYPE,
});

/**
 * The ML engineer's gate: approve or reject a version in the central registry.
 *
 * @public
 */
export const mlCentralApprovalPermission = createPermission({
  name: 'ml-registry.gate.central-approval',
  attributes: { action: 'update' },
  resourceType: ML_MODEL_VERSION_RESOURCE_TYPE,
});

/**
 * The governance officer's gate: the manual approval before production.
 *
 * @public
 */
export const mlGovernanceApprovalPermission = createPermission({
  name: 'ml-registry.gate.governance-approval',
  attributes: { action: 'update' },
  resourceType: ML_MODEL_VERSION_RESOURCE_TYPE,
});

/**
 * Every permission of the ML registry, for registration with the permission framework.
 *
 * @public
 */
export const mlRegistryPermissions = [
  mlRegistryReadPermission,
  mlDevApprovalPermission,
  mlCentralApprovalPermission,
  mlGovernanceApprovalPermission,
  mlRegistrySchedulerPermission,
];

/**
 * The names and parameters of the permission rules the ML registry backend
 * registers for model versions (it applies them; policies only name them).
 *
 * @public
 */
export interface MlModelVersionRuleParams {
  /** The version's account belongs to one of `teams` (group entity refs). */
  IS_TEAM_ACCOUNT: { teams: string[] };
  /** The version's account is of one of `stages`. */
  IS_IN_STAGE: { stages: AccountStage[] };
  /**
   * One of `claims` (the user's ownership entity refs) is an approver of
   * `gate` for the version, as the ML registry backend resolves them
   * (`mlRegistry.gates.approvers`, or a backend module's resolver).
   */
  IS_GATE_APPROVER: { gate: DecisionGate; claims: string[] };
}

/**
 * Conditions on a model version for a policy's conditional decision: plain
 * data that the ML registry backend's rules evaluate against the version.
 *
 * @public
 */
export const mlModelVersionConditions: {
  [R in keyof MlModelVersionRuleParams]: (
    params: MlModelVersionRuleParams[R],
  ) => PermissionCondition<
    typeof ML_MODEL_VERSION_RESOURCE_TYPE,
    MlModelVersionRuleParams[R]
  >;
} = {
  IS_TEAM_ACCOUNT: params => ({
    rule: 'IS_TEAM_ACCOUNT',
    resourceType: ML_MODEL_VERSION_RESOURCE_TYPE,
    params,
  }),
  IS_IN_STAGE: params => ({
    rule: 'IS_IN_STAGE',
    resourceType: ML_MODEL_VERSION_RESOURCE_TYPE,
    params,
  }),
  IS_GATE_APPROVER: params => ({
    rule: 'IS_GATE_APPROVER',
    resourceType: ML_MODEL_VERSION_RESOURCE_TYPE,
    params,
  }),
};

/**
 * A conditional decision on a gate permission, evaluated by the ML registry backend.
 *
 * @public
 */
export function createMlModelVersionConditionalDecision(
  permission: ResourcePermission<typeof ML_MODEL_VERSION_RESOURCE_TYPE>,
  conditions: PermissionCriteria<
    PermissionCondition<typeof ML_MODEL_VERSION_RESOURCE_TYPE>
  >,
): ConditionalPolicyDecision {
  return {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'ml-registry',
    resourceType: permission.resourceType,
    conditions,
  };
}
