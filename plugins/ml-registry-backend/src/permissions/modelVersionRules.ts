import {
  createPermissionResourceRef,
  createPermissionRule,
  PermissionRule,
} from '@backstage/plugin-permission-node';
import { PermissionsRegistryService } from '@backstage/backend-plugin-api';
import {
  ACCOUNT_STAGES,
  DECISION_GATE_TABLE,
  DECISION_GATES,
  DecisionGate,
  ML_MODEL_VERSION_RESOURCE_TYPE,
  MlAccount,
  MlModelVersionResource,
  MlModelVersionRuleParams,
  MlPlatformConfig,
  mlRegistryPermissions,
} from '@ml-governance/plugin-ml-registry-common';
import { z } from 'zod';
import { VersionStore } from '../database/VersionStore';

/**
 * A model version as the ML registry backend's permission rules see it:
 * where it lives, who owns it, and who decides each of its gates.
 *
 * @public
 */
export interface MlModelVersionPermissionResource
  extends MlModelVersionResource {
  /** The approvers (user and group entity refs) of each gate that acts on versions of its stage. */
  approvers: Partial<Record<DecisionGate, string[]>>;
}

/** Who decides `gate` of `version`: the configured approvers, or a module's resolver. */
export type ApproversOf = (
  gate: DecisionGate,
  version: MlModelVersionResource,
) => Promise<string[]>;

/** A version as gate approver resolvers see it: its ARN, its account, the account's stage and team. */
export function modelVersionResource(
  account: MlAccount,
  arn: string,
): MlModelVersionResource {
  return {
    arn,
    accountId: account.accountId,
    stage: account.stage,
    ...(account.team ? { team: account.team } : {}),
  };
}

/**
 * The model version resource of the permission framework: gate permissions
 * are authorized against it, and conditional decisions are evaluated here.
 *
 * @public
 */
export const mlModelVersionResourceRef = createPermissionResourceRef<
  MlModelVersionPermissionResource,
  never
>().with({
  pluginId: 'ml-registry',
  resourceType: ML_MODEL_VERSION_RESOURCE_TYPE,
});

// Versions are never listed through the permission framework, only authorized one at a time.
const noQuery = (): never => {
  throw new Error(
    'Model version permission rules are applied to one version at a time, not translated to queries',
  );
};

const isTeamAccount = createPermissionRule({
  name: 'IS_TEAM_ACCOUNT',
  description:
    "Allow versions whose account's owner team (mlRegistry.accounts[].team) is one of the given groups",
  resourceRef: mlModelVersionResourceRef,
  paramsSchema: z.object({
    teams: z
      .array(z.string())
      .describe('Group entity refs, e.g. group:default/fraud-ds'),
  }),
  apply: (version, { teams }) => !!version.team && teams.includes(version.team),
  toQuery: noQuery,
});

const isInStage = createPermissionRule({
  name: 'IS_IN_STAGE',
  description: 'Allow versions whose account is of one of the given stages',
  resourceRef: mlModelVersionResourceRef,
  paramsSchema: z.object({
    stages: z
      .array(z.enum(ACCOUNT_STAGES as [string, ...string[]]))
      .describe('Account stages, e.g. dev'),
  }),
  apply: (version, { stages }) => stages.includes(version.stage),
  toQuery: noQuery,
});

// Typed by name: the inferred type would spell the gates' union, whose order TypeScript prints as it met its members.
const isGateApprover: PermissionRule<
  MlModelVersionPermissionResource,
  never,
  typeof ML_MODEL_VERSION_RESOURCE_TYPE,
  MlModelVersionRuleParams['IS_GATE_APPROVER']
> = createPermissionRule({
  name: 'IS_GATE_APPROVER',
  description:
    "Allow when one of the claims (the user's ownership entity refs) is an approver of the gate for this version (mlRegistry.gates.approvers, or a backend module's resolver)",
  resourceRef: mlModelVersionResourceRef,
  paramsSchema: z.object({
    gate: z
      .enum(DECISION_GATES)
      .describe('The gate decided, e.g. central-approval'),
    claims: z
      .array(z.string())
      .describe(
        "The user's ownership entity refs, e.g. group:default/ml-engineers",
      ),
  }),
  apply: (version, { gate, claims }) =>
    (version.approvers[gate] ?? []).some(ref => claims.includes(ref)),
  toQuery: noQuery,
});

/**
 * The rules a policy's conditions on gate permissions may name; build the
 * conditions with `mlModelVersionConditions` of the common package.
 *
 * @public
 */
export const mlModelVersionPermissionRules = {
  isTeamAccount,
  isInStage,
  isGateApprover,
};

/** Who decides each gate that acts on versions of the version's stage. */
async function gateApprovers(
  version: MlModelVersionResource,
  approversOf: ApproversOf,
): Promise<MlModelVersionPermissionResource['approvers']> {
  const gates = DECISION_GATES.filter(
    gate => DECISION_GATE_TABLE[gate].stage === version.stage,
  );
  return Object.fromEntries(
    await Promise.all(
      gates.map(async gate => [gate, await approversOf(gate, version)]),
    ),
  );
}

/** Loads the versions the permission backend asks about, by ARN, with their account's stage and team and their gates' approvers. */
export function modelVersionResources(
  versions: VersionStore,
  platform: MlPlatformConfig,
  approversOf: ApproversOf,
) {
  return async (
    arns: string[],
  ): Promise<Array<MlModelVersionPermissionResource | undefined>> =>
    Promise.all(
      arns.map(async arn => {
        const version = await versions.getVersion(arn);
        const account =
          version &&
          platform.accounts.find(a => a.accountId === version.accountId);
        if (!account) return undefined;
        const resource = modelVersionResource(account, arn);
        return {
          ...resource,
          approvers: await gateApprovers(resource, approversOf),
        };
      }),
    );
}

/**
 * Registers the ML registry's permissions, and the model version resource
 * type: gate permissions are conditional on the version decided (its
 * account's stage and team, its gates' approvers).
 */
export function registerPermissions(
  registry: PermissionsRegistryService,
  versions: VersionStore,
  platform: MlPlatformConfig,
  approversOf: ApproversOf,
): void {
  registry.addPermissions(mlRegistryPermissions);
  registry.addResourceType({
    resourceRef: mlModelVersionResourceRef,
    rules: Object.values(mlModelVersionPermissionRules),
    getResources: modelVersionResources(versions, platform, approversOf),
  });
}
