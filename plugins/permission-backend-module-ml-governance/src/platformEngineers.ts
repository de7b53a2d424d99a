import { Config } from '@backstage/config';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { readEntityRefs } from '@ml-governance/plugin-ml-registry-common';

/** @public */
export const DEFAULT_PLATFORM_ENGINEERS = ['group:default/platform-engineers'];

/**
 * Reads `mlRegistry.platformEngineers`: the groups (or users) that own the
 * templates and the account topology. A malformed ref stops start-up naming the key.
 *
 * @public
 */
export function readPlatformEngineers(config: Config): string[] {
  return (
    readEntityRefs(config, 'mlRegistry.platformEngineers') ??
    DEFAULT_PLATFORM_ENGINEERS
  );
}

export function isPlatformEngineer(
  user: PolicyQueryUser,
  platformEngineers: string[],
): boolean {
  const refs = new Set(user.info.ownershipEntityRefs);
  return platformEngineers.some(ref => refs.has(ref));
}
