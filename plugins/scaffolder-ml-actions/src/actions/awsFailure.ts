import { MlAccount } from '@ml-governance/plugin-ml-registry-common';

/**
 * An AWS error as a task log shows it: what was being done, in which account,
 * and AWS's own error name and message (which never carry secrets).
 */
export function awsFailure(doing: string, account: MlAccount, e: any): Error {
  return new Error(
    `Could not ${doing} in ${account.name} (${account.accountId}): ${
      e?.name ?? 'Error'
    }: ${e?.message ?? e}`,
  );
}
