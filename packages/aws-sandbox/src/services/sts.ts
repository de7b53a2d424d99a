import { Caller } from '../callerIdentity';
import { AwsError } from '../errors';

export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** Handles one STS action; returns the members of its result element. */
export function handleSts(
  action: string,
  _params: URLSearchParams,
  caller: Caller,
): Record<string, string> {
  switch (action) {
    case 'GetCallerIdentity':
      return { UserId: caller.userId, Account: caller.accountId, Arn: caller.arn };
    default:
      throw new AwsError('InvalidAction', `Could not find operation ${action}`);
  }
}
