import { AwsError } from './errors';
import { nowSeconds, roleOf, SandboxState } from './state';

/** Who is calling: the account and principal behind the request's access key. */
export interface Caller {
  accountId: string;
  arn: string;
  userId: string;
  accessKeyId: string;
  /** A role session's identity policies; absent for an account's root and roles defined without any. */
  policies?: any[];
}

const SCOPE = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

/** The access key and the service named in a SigV4 Authorization header. */
export function parseAuthorization(header: string | undefined) {
  const match = header?.match(SCOPE);
  return match
    ? { accessKeyId: match[1], region: match[2], service: match[3] }
    : undefined;
}

/**
 * Resolves an access key. A 12-digit account id is that account's root user;
 * a key issued by AssumeRole is its role session. Signatures are not checked:
 * the sandbox holds no secrets worth protecting.
 */
export function resolveCaller(
  state: SandboxState,
  accessKeyId: string,
): Caller {
  if (/^\d{12}$/.test(accessKeyId) && state.accounts[accessKeyId]) {
    return {
      accountId: accessKeyId,
      arn: `arn:aws:iam::${accessKeyId}:root`,
      userId: accessKeyId,
      accessKeyId,
    };
  }
  const session = state.sessions[accessKeyId];
  if (!session) {
    throw new AwsError(
      'InvalidClientTokenId',
      'The security token included in the request is invalid.',
      403,
    );
  }
  if (session.expiration < nowSeconds()) {
    throw new AwsError(
      'ExpiredToken',
      'The security token included in the request is expired',
      403,
    );
  }
  const role = roleOf(state, session.accountId, session.roleName);
  return {
    accountId: session.accountId,
    arn: `arn:aws:sts::${session.accountId}:assumed-role/${session.roleName}/${session.sessionName}`,
    userId: `${accessKeyId}:${session.sessionName}`,
    accessKeyId,
    ...(role?.policies ? { policies: role.policies } : {}),
  };
}
