import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import { AccountStage } from './accounts';
import { DECISION_GATES, DecisionGate, LifecycleGate } from './api';
import {
  ML_MODEL_VERSION_RESOURCE_TYPE,
  mlCentralApprovalPermission,
  mlDevApprovalPermission,
  mlGovernanceApprovalPermission,
} from './permissions';

/**
 * Each lifecycle gate's name and who acts on it, as people say it.
 *
 * @public
 */
export const GATE_LABELS: Record<
  LifecycleGate,
  { title: string; who: string }
> = {
  'dev-approval': { title: 'Dev approval', who: 'lead data scientist' },
  promotion: { title: 'Promotion', who: 'automatic' },
  'central-approval': { title: 'Central approval', who: 'ML engineer' },
  'test-deploy': { title: 'Deploy to test', who: 'deploy pipeline' },
  'governance-approval': {
    title: 'Governance approval',
    who: 'governance officer',
  },
  'prod-deploy': { title: 'Deploy to prod', who: 'deploy pipeline' },
};

/**
 * What a gate people decide is: the registry stage whose versions it decides,
 * the permission that allows it, where its approver groups are configured and
 * who they are in the example organisation, and how people name it.
 *
 * @public
 */
export interface DecisionGateSpec {
  gate: DecisionGate;
  /** The stage of the account holding the versions the gate decides. */
  stage: AccountStage;
  /**
   * A registry gate sets the version's `ModelApprovalStatus`; the others
   * answer the deploy pipeline's manual approval.
   */
  registry: boolean;
  permission: ResourcePermission<typeof ML_MODEL_VERSION_RESOURCE_TYPE>;
  /** The config key listing the gate's approvers (user or group entity refs). */
  approversKey: string;
  /** The approvers of the example organisation, the default in development. */
  defaultApprovers: string[];
  label: { title: string; who: string };
}

const decisionGate = (
  gate: DecisionGate,
  spec: Pick<
    DecisionGateSpec,
    'stage' | 'registry' | 'permission' | 'defaultApprovers'
  >,
): DecisionGateSpec => ({
  gate,
  ...spec,
  approversKey: `mlRegistry.gates.approvers.${gate}`,
  label: GATE_LABELS[gate],
});

/**
 * The gate table: every package (backend, permission policy, frontend,
 * notifier) reads a gate's stage, permission and approvers from here.
 *
 * @public
 */
export const DECISION_GATE_TABLE: Record<DecisionGate, DecisionGateSpec> = {
  'dev-approval': decisionGate('dev-approval', {
    stage: 'dev',
    registry: true,
    permission: mlDevApprovalPermission,
    defaultApprovers: ['group:default/lead-data-scientists'],
  }),
  'central-approval': decisionGate('central-approval', {
    stage: 'shared-services',
    registry: true,
    permission: mlCentralApprovalPermission,
    defaultApprovers: ['group:default/ml-engineers'],
  }),
  'governance-approval': decisionGate('governance-approval', {
    stage: 'shared-services',
    registry: false,
    permission: mlGovernanceApprovalPermission,
    defaultApprovers: ['group:default/governance-officers'],
  }),
};

/**
 * Whether a lifecycle gate is one people decide.
 *
 * @public
 */
export function isDecisionGate(gate: LifecycleGate): gate is DecisionGate {
  return gate in DECISION_GATE_TABLE;
}

/**
 * The gates that set a version's registry status, where a version waits
 * until someone decides it.
 *
 * @public
 */
export const REGISTRY_GATES: DecisionGateSpec[] = DECISION_GATES.map(
  gate => DECISION_GATE_TABLE[gate],
).filter(spec => spec.registry);

/**
 * The registry gate a version waits at in an account of `stage`, if any.
 *
 * @public
 */
export function registryGateOfStage(
  stage: AccountStage,
): DecisionGate | undefined {
  return REGISTRY_GATES.find(spec => spec.stage === stage)?.gate;
}

/**
 * The gate a permission decides, if it is a gate permission.
 *
 * @public
 */
export function gateOfPermission(
  permissionName: string,
): DecisionGate | undefined {
  return DECISION_GATES.find(
    gate => DECISION_GATE_TABLE[gate].permission.name === permissionName,
  );
}

/**
 * Who decides each gate by default: the example organisation's groups.
 *
 * @public
 */
export const DEFAULT_APPROVERS = Object.fromEntries(
  DECISION_GATES.map(gate => [
    gate,
    DECISION_GATE_TABLE[gate].defaultApprovers,
  ]),
) as Record<DecisionGate, string[]>;

const ENTITY_REF = /^(user|group):[a-z0-9-_.]+\/[a-zA-Z0-9-_.]+$/;

/**
 * Reads a list of user or group entity refs at `key`; a malformed ref stops
 * start-up naming the key and the ref.
 *
 * @public
 */
export function readEntityRefs(
  config: Config,
  key: string,
): string[] | undefined {
  const refs = config.getOptionalStringArray(key);
  refs?.forEach((ref, i) => {
    if (!ENTITY_REF.test(ref)) {
      throw new InputError(
        `${key}[${i}]: '${ref}' is not a user or group entity ref such as group:default/ml-engineers`,
      );
    }
  });
  return refs;
}

/**
 * Reads `mlRegistry.gates.approvers`; a malformed ref stops start-up naming the key.
 * The example organisation's groups are the default in development only
 * (`auth.environment`, development when unset as for Backstage): elsewhere a
 * gate nobody is configured for is decided by nobody.
 *
 * @public
 */
export function readApprovers(config: Config): Record<DecisionGate, string[]> {
  const development =
    (config.getOptionalString('auth.environment') ?? 'development') ===
    'development';
  return Object.fromEntries(
    DECISION_GATES.map(gate => {
      const { approversKey, defaultApprovers } = DECISION_GATE_TABLE[gate];
      const refs = readEntityRefs(config, approversKey);
      return [gate, refs ?? (development ? [...defaultApprovers] : [])];
    }),
  ) as Record<DecisionGate, string[]>;
}
