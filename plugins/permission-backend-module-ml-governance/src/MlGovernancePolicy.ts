import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isPermission,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { actionExecutePermission } from '@backstage/plugin-scaffolder-common/alpha';
import {
  ANNOTATION_TEMPLATE_AUDIENCE,
  MlAccount,
  mlRegistrySchedulerPermission,
} from '@ml-governance/plugin-ml-registry-common';
import { gateDecision, gateOf } from './gateDecisions';
import {
  isLocationRegistration,
  locationRegistrationDecision,
} from './locationRegistration';
import { isPlatformEngineer } from './platformEngineers';
import { isTaskPermission, taskOwnerDecision } from './taskOwnership';
import { hasActionId, outsideOwnTeam } from './teamAccounts';
import { TemplateAudience } from './templateAccess';

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/** Allowed unless one of `conditions` holds. */
function allowUnless(
  pluginId: string,
  resourceType: string,
  conditions: PermissionCriteria<PermissionCondition>[],
): PolicyDecision {
  const [first, ...rest] = conditions;
  if (!first) return ALLOW;
  return {
    result: AuthorizeResult.CONDITIONAL,
    pluginId,
    resourceType,
    conditions: { not: { anyOf: [first, ...rest] } },
  };
}

/**
 * The ML governance policy:
 * - each approval gate is decided only by its approvers (the ML registry
 *   backend resolves them per version), a lead data scientist's only on their
 *   own team's dev versions (gateDecisions.ts);
 * - a template annotated with an audience (`ml-governance.io/template-audience`)
 *   is visible in the catalog, and so on the Create page and to the
 *   scaffolder's API, only to that audience's groups;
 * - the actions of an audience run only for its members (unless another
 *   audience of theirs lists the same action), so a template written by
 *   someone else cannot reach them either;
 * - domains, user profiles, projects and model package groups are made only
 *   in the dev account of the user's own team (platform engineers: anywhere);
 * - a scaffolder task is read and cancelled by its creator only;
 * - only platform engineers register catalog locations and trigger or cancel
 *   the ML registry's scheduled tasks (each run spends every account's AWS
 *   request budget);
 * Membership is the user's ownership refs (sign-in resolves them, the
 * permission backend hands them to the policy). A request with no user is
 * unauthenticated (services never reach the policy: the permissions service
 * answers them itself) and is refused. Every other permission is allowed.
 */
export class MlGovernancePolicy implements PermissionPolicy {
  constructor(
    private readonly templateAccess: Record<string, TemplateAudience>,
    private readonly topology: {
      accounts: MlAccount[];
      platformEngineers: string[];
    },
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const gate = gateOf(request);
    if (gate) return gateDecision(gate, user);
    if (!user) return DENY;
    if (isPermission(request.permission, mlRegistrySchedulerPermission))
      return isPlatformEngineer(user, this.topology.platformEngineers)
        ? ALLOW
        : DENY;
    if (isTaskPermission(request)) return taskOwnerDecision(user);
    if (isLocationRegistration(request))
      return locationRegistrationDecision(
        user,
        this.topology.platformEngineers,
      );
    if (isPermission(request.permission, catalogEntityReadPermission)) {
      const { denied } = this.audiencesOf(user);
      return allowUnless(
        'catalog',
        'catalog-entity',
        denied.map(audience => ({
          rule: 'HAS_ANNOTATION',
          resourceType: 'catalog-entity',
          params: { annotation: ANNOTATION_TEMPLATE_AUDIENCE, value: audience },
        })),
      );
    }
    if (isPermission(request.permission, actionExecutePermission)) {
      if (isPlatformEngineer(user, this.topology.platformEngineers))
        return ALLOW;
      const { allowed, denied } = this.audiencesOf(user);
      const mayRun = new Set(
        allowed.flatMap(a => this.templateAccess[a].actions),
      );
      const refused = [
        ...new Set(denied.flatMap(a => this.templateAccess[a].actions)),
      ].filter(action => !mayRun.has(action));
      return allowUnless('scaffolder', 'scaffolder-action', [
        ...refused.map(hasActionId),
        outsideOwnTeam(this.topology.accounts, user.info.ownershipEntityRefs),
      ]);
    }
    return ALLOW;
  }

  private audiencesOf(user: PolicyQueryUser) {
    const refs = new Set(user.info.ownershipEntityRefs);
    const audiences = Object.keys(this.templateAccess);
    const isMember = (audience: string) =>
      this.templateAccess[audience].groups.some(ref => refs.has(ref));
    return {
      allowed: audiences.filter(isMember),
      denied: audiences.filter(a => !isMember(a)),
    };
  }
}
