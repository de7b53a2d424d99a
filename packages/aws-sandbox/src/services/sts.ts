import { requireIdentityAllows } from '../authorization';
import { AwsError } from '../errors';
import { RequestContext } from '../context';
import { assumeRoleFor } from '../roleSessions';

export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

// The model's RoleArn pattern admits any printable text; STS refuses what is not a role ARN.
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/([\w+=,.@-]{1,64})$/;

/** An STS operation: the input the contract decoded from the query parameters, out the result. */
type QueryOperation = (
  input: Record<string, any>,
  ctx: RequestContext,
) => object;

export const stsOperations: Record<string, QueryOperation> = {
  GetCallerIdentity: (_input, { caller }) => ({
    UserId: caller.userId,
    Account: caller.accountId,
    Arn: caller.arn,
  }),

  /** Allowed when the role's trust names the caller's account, as in the scenario. */
  AssumeRole: (input, { core, caller }) => {
    const roleArn: string = input.RoleArn;
    const sessionName: string = input.RoleSessionName;
    const duration: number = input.DurationSeconds ?? 3600;
    const arn = roleArn.match(ROLE_ARN);
    if (!arn) {
      throw new AwsError('ValidationError', 'Request ARN is invalid');
    }
    const [, accountId, roleName] = arn;
    // The caller's own policies must allow it too: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html
    requireIdentityAllows(
      caller,
      'sts:AssumeRole',
      roleArn,
      'AccessDenied',
      403,
    );
    const session = assumeRoleFor(
      core,
      roleArn,
      caller.accountId,
      sessionName,
      { principalArn: caller.arn, durationSeconds: duration },
    );
    return {
      Credentials: {
        AccessKeyId: session.credentials.accessKeyId,
        SecretAccessKey: session.credentials.secretAccessKey,
        SessionToken: session.credentials.sessionToken,
        Expiration: new Date(session.expiration * 1000),
      },
      AssumedRoleUser: {
        AssumedRoleId: `AROA${core.randomId(16).toUpperCase()}:${sessionName}`,
        Arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
      },
    };
  },
};
