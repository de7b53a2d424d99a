import { catalogLocationCreatePermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { isPlatformEngineer } from './platformEngineers';

export const isLocationRegistration = (request: PolicyQuery) =>
  isPermission(request.permission, catalogLocationCreatePermission);

/**
 * Registering a location puts whatever its YAML says in the catalog (a
 * template calling any action, a group claiming anyone as member), so only
 * platform engineers, who own the templates and the topology, may.
 */
export function locationRegistrationDecision(
  user: PolicyQueryUser,
  platformEngineers: string[],
): PolicyDecision {
  return {
    result: isPlatformEngineer(user, platformEngineers)
      ? AuthorizeResult.ALLOW
      : AuthorizeResult.DENY,
  };
}
