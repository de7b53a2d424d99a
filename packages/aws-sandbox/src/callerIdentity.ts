/** Who is calling: the account and principal behind the request's access key. */
export interface Caller {
  accountId: string;
  arn: string;
  userId: string;
}

const CREDENTIAL = /Credential=([^/,\s]+)\//;

/**
 * Reads the access key from a SigV4 Authorization header. In the sandbox an
 * access key that is a 12-digit account id acts as that account's root user;
 * signatures are not verified, since the sandbox holds no secrets.
 */
export function callerFromAuthorization(header: string | undefined): Caller | undefined {
  const accessKeyId = header?.match(CREDENTIAL)?.[1];
  if (!accessKeyId || !/^\d{12}$/.test(accessKeyId)) {
    return undefined;
  }
  return {
    accountId: accessKeyId,
    arn: `arn:aws:iam::${accessKeyId}:root`,
    userId: accessKeyId,
  };
}
