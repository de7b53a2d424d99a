import { ServiceUnavailableError } from '@backstage/errors';
import { AwsFault, MlAccount } from '@ml-governance/plugin-ml-registry-common';
import {
  awsAccountOf,
  awsFaultOf,
} from '@ml-governance/plugin-ml-registry-node';

/**
 * An account AWS could not be reached in, with nothing stored to answer from:
 * a 503 whose message names the account and the fault's class, never the AWS
 * error (its message can carry ARNs, request ids and policy text).
 */
export class AccountUnreachableError extends ServiceUnavailableError {
  /** Long enough for the SDK's own retries of a throttled or failing account to have had their go. */
  readonly retryAfterSeconds = 30;

  constructor(
    readonly account: Pick<MlAccount, 'accountId' | 'name'>,
    readonly reason: AwsFault,
  ) {
    super(
      `The AWS account ${account.name} (${account.accountId}) cannot be reached (${reason}) and nothing of it is stored to show; try again later`,
    );
  }
}

/**
 * Runs `call`, which talks to `account` (and perhaps others of `accounts`); an
 * AWS fault that makes an account unreachable becomes an AccountUnreachableError
 * naming the account the failed call was made in.
 */
export async function reaching<T>(
  account: Pick<MlAccount, 'accountId' | 'name'>,
  call: () => Promise<T>,
  accounts: (
    accountId: string,
  ) => Pick<MlAccount, 'accountId' | 'name'> | undefined = () => undefined,
): Promise<T> {
  try {
    return await call();
  } catch (e) {
    const fault = awsFaultOf(e);
    if (!fault) throw e;
    const calledIn = awsAccountOf(e);
    throw new AccountUnreachableError(
      (calledIn && accounts(calledIn)) || account,
      fault,
    );
  }
}
