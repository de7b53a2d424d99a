import { AwsError } from './errors';
import { Caller } from './identity';
import { identityPolicyAllows } from './policy';

/** An operation that hands roles to a service, which will act as them. */
interface RolePassing {
  /** The service principal the roles are passed to (the iam:PassedToService key). */
  service: string;
  /** The roles the request names: ARNs, or names where the API takes those too. */
  roles: (input: any) => unknown[];
}

/**
 * The operations the sandbox serves that pass a role. IAM checks iam:PassRole
 * on each role for the caller, with iam:PassedToService set to the service:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
 */
const ROLE_PASSING: Record<string, RolePassing> = {
  'sagemaker:CreateDomain': {
    service: 'sagemaker.amazonaws.com',
    roles: input => [input?.DefaultUserSettings?.ExecutionRole],
  },
  'sagemaker:CreateUserProfile': {
    service: 'sagemaker.amazonaws.com',
    roles: input => [input?.UserSettings?.ExecutionRole],
  },
  'sagemaker:CreatePipeline': {
    service: 'sagemaker.amazonaws.com',
    roles: input => [input?.RoleArn],
  },
  'codebuild:CreateProject': {
    service: 'codebuild.amazonaws.com',
    roles: input => [input?.serviceRole],
  },
  'codepipeline:CreatePipeline': {
    service: 'codepipeline.amazonaws.com',
    roles: input => [input?.pipeline?.roleArn],
  },
  'codepipeline:UpdatePipeline': {
    service: 'codepipeline.amazonaws.com',
    roles: input => [input?.pipeline?.roleArn],
  },
  'events:PutTargets': {
    service: 'events.amazonaws.com',
    roles: input =>
      Array.isArray(input?.Targets)
        ? input.Targets.map((t: any) => t?.RoleArn)
        : [],
  },
};

/**
 * Refuses passing `role` to `service` unless the caller may, with IAM's
 * message naming iam:PassRole and the role. Callers without policies (an
 * account's root) may pass any role of their account.
 */
export function requirePassRoleTo(
  caller: Caller,
  role: string,
  service: string,
) {
  if (!caller.policies) return;
  // CodeBuild takes a role's name as well as its ARN; a name is a role of the caller's account.
  const arn = role.startsWith('arn:')
    ? role
    : `arn:aws:iam::${caller.accountId}:role/${role}`;
  if (
    identityPolicyAllows(caller.policies, 'iam:PassRole', arn, {
      'iam:PassedToService': service,
    })
  )
    return;
  throw new AwsError(
    'AccessDeniedException',
    `User: ${caller.arn} is not authorized to perform: iam:PassRole on resource: ${arn} because no identity-based policy allows the iam:PassRole action`,
  );
}

/** Refuses a request to `action` (service:Operation) that passes a role its caller may not pass. */
export function requirePassRole(
  caller: Caller,
  action: string,
  input: unknown,
) {
  const passing = ROLE_PASSING[action];
  for (const role of passing?.roles(input) ?? []) {
    if (typeof role === 'string' && role)
      requirePassRoleTo(caller, role, passing.service);
  }
}
