import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { PermissionsRegistryService } from '@backstage/backend-plugin-api';
import {
  ACCOUNT_STAGES,
  ML_MODEL_VERSION_RESOURCE_TYPE,
  MlModelVersionResource,
  MlPlatformConfig,
  mlRegistryPermissions,
} from '@ml-governance/plugin-ml-registry-common';
import { z } from 'zod';
import { VersionStore } from '../database/VersionStore';

/**
 * The model version resource of the permission framework: gate permissions
 * are authorized against it, and conditional decisions are evaluated here.
 *
 * @public
 */
export const mlModelVersionResourceRef = createPermissionResourceRef<
  MlModelVersionResource,
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

/**
 * The rules a policy's conditions on gate permissions may name; build the
 * conditions with `mlModelVersionConditions` of the common package.
 *
 * @public
 */
export const mlModelVersionPermissionRules = { isTeamAccount, isInStage };

/** Loads the versions the permission backend asks about, by ARN, with their account's stage and team. */
export function modelVersionResources(
  versions: VersionStore,
  platform: MlPlatformConfig,
) {
  return async (
    arns: string[],
  ): Promise<Array<MlModelVersionResource | undefined>> =>
    Promise.all(
      arns.map(async arn => {
        const version = await versions.getVersion(arn);
        const account =
          version &&
          platform.accounts.find(a => a.accountId === version.accountId);
        if (!account) return undefined;
        return {
          arn,
          accountId: account.accountId,
          stage: account.stage,
          ...(account.team ? { team: account.team } : {}),
        };
      }),
    );
}

/**
 * Registers the ML registry's permissions, and the model version resource
 * type: gate permissions are conditional on the version decided (its
 * account's stage and team).
 */
export function registerPermissions(
  registry: PermissionsRegistryService,
  versions: VersionStore,
  platform: MlPlatformConfig,
): void {
  registry.addPermissions(mlRegistryPermissions);
  registry.addResourceType({
    resourceRef: mlModelVersionResourceRef,
    rules: Object.values(mlModelVersionPermissionRules),
    getResources: modelVersionResources(versions, platform),
  });
}
