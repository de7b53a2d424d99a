import { SandboxCore } from './core';
import { AwsError } from './errors';
import { Caller, resolveCaller } from './identity';
import { nowSeconds, roleOf } from './state';

const ROLE_ARN =
  /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]{1,64})$/;

export interface RoleSession {
  caller: Caller;
  /** As STS returns them, and as CodeBuild puts them in a build's environment. */
  credentials: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken: string;
  };
  /** Epoch seconds. */
  expiration: number;
}

/**
 * The role `roleArn` if `principal` may assume it: an account id (a principal
 * of that account, named `principalArn` in the refusal) or a service principal
 * such as codebuild.amazonaws.com, as services assume the roles they are
 * given. STS allows it only when the role exists and its trust policy names
 * the principal.
 */
export function requireTrust(
  core: SandboxCore,
  roleArn: string,
  principal: string,
  principalArn = principal,
) {
  const [, accountId, roleName] = ROLE_ARN.exec(roleArn) ?? [];
  const role = accountId ? roleOf(core.state, accountId, roleName) : undefined;
  if (!role || !role.trust.includes(principal)) {
    throw new AwsError(
      'AccessDenied',
      `User: ${principalArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      403,
    );
  }
  return role;
}

/** A session of `roleArn` for `principal`, checked as {@link requireTrust} does: STS's AssumeRole and the services' own. */
export function assumeRoleFor(
  core: SandboxCore,
  roleArn: string,
  principal: string,
  sessionName: string,
  options: { principalArn?: string; durationSeconds?: number } = {},
): RoleSession {
  const role = requireTrust(core, roleArn, principal, options.principalArn);
  const accessKeyId = `ASIA${core.randomId(16).toUpperCase()}`;
  const expiration =
    Math.floor(nowSeconds()) + (options.durationSeconds ?? 3600);
  core.state.sessions[accessKeyId] = {
    accessKeyId,
    accountId: role.accountId,
    roleName: role.name,
    sessionName: sessionName.slice(0, 64),
    expiration,
  };
  core.changed();
  return {
    caller: resolveCaller(core.state, accessKeyId),
    credentials: {
      accessKeyId,
      secretAccessKey: core.randomId(40),
      sessionToken: core.randomId(64),
    },
    expiration,
  };
}
