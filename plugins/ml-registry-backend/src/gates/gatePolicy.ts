import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { parseArn } from '@ml-governance/plugin-ml-registry-common';
import {
  defaultGovernanceChecklist,
  GovernanceChecklist,
} from '@ml-governance/plugin-ml-registry-node';
import { ML_REGISTRY_BACKEND_DEFAULTS } from '../config/defaults';
import { DeployWatchPolicy, readDeployWatch } from './readDeployWatch';
import {
  GovernanceOverridePolicy,
  readGovernanceOverride,
} from './readGovernanceOverride';
import { readThresholds } from './readThresholds';

/** What a gate does when no Backstage user is known to have registered the version. */
export type UnknownRegistrantPolicy = 'refuse' | 'second-approver';

/** An AWS identity (IAM ARN pattern) that is a Backstage user. */
export interface IdentityMapping {
  aws: string;
  user: string;
}

export interface GatePolicy {
  /** Nobody approves a version they registered, nor two gates of one version. Default on. */
  separationOfDuties: boolean;
  /** When the registrant is unknown: refuse every approval, or need two different approvers. */
  unknownRegistrant: UnknownRegistrantPolicy;
  /** The AWS identities whose approvals made outside Backstage are promoted. Default none. */
  externalApprovers: string[];
  /** Which Backstage user an AWS identity is, for "registered by". */
  identities: IdentityMapping[];
  /** Metric minimums the governance checklist checks, e.g. { auc: 0.9 }. */
  thresholds: Record<string, number>;
  /** The governance checklist: the suite's, unless a module sets one (mlRegistryGovernanceChecklistExtensionPoint). */
  checklist: GovernanceChecklist;
  /** What approving against a failing governance checklist needs. */
  override: GovernanceOverridePolicy;
  /** When a deploy that does not move is shown stalled or not started. */
  deploy: DeployWatchPolicy;
  /** The deploy pipeline of a central model group. Default `<group>-deploy`. */
  pipelineName: (group: string) => string;
}

const DEFAULTS = ML_REGISTRY_BACKEND_DEFAULTS.gates;
const USER_REF = /^user:[a-z0-9-_.]+\/[a-zA-Z0-9-_.]+$/;
const IDENTITY_SERVICES = ['iam', 'sts', 'sagemaker'];

/**
 * IAM principal ARNs (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns)
 * and SageMaker user profile ARNs, with IAM's wildcards * and ? anywhere after the service.
 */
function isIdentityPattern(pattern: string): boolean {
  const arn = parseArn(pattern);
  return (
    !!arn &&
    IDENTITY_SERVICES.includes(arn.service) &&
    /^[a-z0-9-]*$/.test(arn.region) &&
    /^[0-9*?]{1,12}$/.test(arn.accountId) &&
    /^\S+$/.test(arn.resource)
  );
}

/**
 * Whether the AWS identity `arn` matches `pattern`, where `*` matches any run
 * of characters and `?` one, as in IAM policy ARNs
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards).
 */
export function identityMatches(pattern: string, arn: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(arn);
}

function checkIdentityPattern(pattern: string, name: string): string {
  if (!isIdentityPattern(pattern)) {
    throw new InputError(
      `${name}: '${pattern}' is not an IAM or SageMaker user profile ARN (wildcards * and ? allowed) such as arn:aws:sts::222222222222:assumed-role/ModelApprover/*`,
    );
  }
  return pattern;
}

/** Reads `mlRegistry.gates`; a bad value stops start-up naming its key. */
export function readGatePolicy(config: Config): GatePolicy {
  const key = 'mlRegistry.gates';
  const unknownRegistrant =
    config.getOptionalString(`${key}.unknownRegistrant`) ??
    DEFAULTS.unknownRegistrant;
  if (
    unknownRegistrant !== 'refuse' &&
    unknownRegistrant !== 'second-approver'
  ) {
    throw new InputError(
      `${key}.unknownRegistrant: '${unknownRegistrant}' is not one of refuse, second-approver`,
    );
  }
  const externalApprovers = (
    config.getOptionalStringArray(`${key}.externalApprovers`) ?? []
  ).map((pattern, i) =>
    checkIdentityPattern(pattern, `${key}.externalApprovers[${i}]`),
  );
  const identities = (
    config.getOptionalConfigArray(`${key}.identities`) ?? []
  ).map((entry, i) => {
    const user = entry.getString('user');
    if (!USER_REF.test(user)) {
      throw new InputError(
        `${key}.identities[${i}].user: '${user}' is not a user entity ref such as user:default/dana.scientist`,
      );
    }
    return {
      aws: checkIdentityPattern(
        entry.getString('aws'),
        `${key}.identities[${i}].aws`,
      ),
      user,
    };
  });
  const pipelineName =
    config.getOptionalString(`${key}.deployPipelineName`) ??
    DEFAULTS.deployPipelineName;
  return {
    separationOfDuties:
      config.getOptionalBoolean(`${key}.separationOfDuties`) ??
      DEFAULTS.separationOfDuties,
    unknownRegistrant,
    externalApprovers,
    identities,
    thresholds: readThresholds(config),
    checklist: defaultGovernanceChecklist,
    override: readGovernanceOverride(config),
    deploy: readDeployWatch(config),
    pipelineName: group => pipelineName.replace('{group}', group),
  };
}

/** The Backstage user an AWS identity is, by `mlRegistry.gates.identities`. */
export function userOfIdentity(
  policy: GatePolicy,
  identity: string | undefined,
): string | undefined {
  return identity
    ? policy.identities.find(m => identityMatches(m.aws, identity))?.user
    : undefined;
}

/** Whether an approval made outside Backstage by `identity` is promoted. */
export function isExternalApprover(
  policy: GatePolicy,
  identity: string | undefined,
): boolean {
  return (
    !!identity &&
    policy.externalApprovers.some(pattern => identityMatches(pattern, identity))
  );
}
