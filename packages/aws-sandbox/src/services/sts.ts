import { AwsError } from '../errors';
import { RequestContext } from '../context';
import { nowSeconds, roleOf } from '../state';

export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

type QueryOperation = (params: URLSearchParams, ctx: RequestContext) => object;

function param(params: URLSearchParams, name: string, pattern?: RegExp): string {
  const value = params.get(name);
  if (!value) {
    throw new AwsError('ValidationError', `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`);
  }
  if (pattern && !pattern.test(value)) {
    throw new AwsError('ValidationError', `Value '${value}' at '${name}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source}`);
  }
  return value;
}

export const stsOperations: Record<string, QueryOperation> = {
  GetCallerIdentity: (_params, { caller }) => ({
    UserId: caller.userId,
    Account: caller.accountId,
    Arn: caller.arn,
  }),

  /** Allowed when the role's trust names the caller's account, as in the scenario. */
  AssumeRole: (params, { core, caller }) => {
    const roleArn = param(params, 'RoleArn', ROLE_ARN);
    const sessionName = param(params, 'RoleSessionName', SESSION_NAME);
    const duration = Number(params.get('DurationSeconds') ?? 3600);
    if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
      throw new AwsError('ValidationError', `Value '${duration}' at 'durationSeconds' must be from 900 to 43200`);
    }
    const [, accountId, roleName] = roleArn.match(ROLE_ARN)!;
    const role = roleOf(core.state, accountId, roleName);
    if (!role || !role.trust.includes(caller.accountId)) {
      throw new AwsError(
        'AccessDenied',
        `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        403,
      );
    }
    const accessKeyId = `ASIA${core.randomId(16).toUpperCase()}`;
    const expiration = Math.floor(nowSeconds()) + duration;
    core.state.sessions[accessKeyId] = { accessKeyId, accountId, roleName, sessionName, expiration };
    core.changed();
    return {
      Credentials: {
        AccessKeyId: accessKeyId,
        SecretAccessKey: core.randomId(40),
        SessionToken: core.randomId(64),
        Expiration: new Date(expiration * 1000),
      },
      AssumedRoleUser: {
        AssumedRoleId: `AROA${core.randomId(16).toUpperCase()}:${sessionName}`,
        Arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
      },
    };
  },
};
