import { SandboxCore } from './core';
import { Caller } from './identity';
import { AccountState } from './state';

/** What every operation gets: the sandbox, the caller and the caller's account. */
export interface RequestContext {
  core: SandboxCore;
  caller: Caller;
  account: AccountState;
}

/** One operation of a JSON-protocol service: input in, output out. */
export type Operation = (input: any, ctx: RequestContext) => any;

export type OperationTable = Record<string, Operation>;

/** Acts as an account's root user, to seed through the same code as requests. */
export function rootContext(
  core: SandboxCore,
  accountId: string,
): RequestContext {
  return {
    core,
    account: core.account(accountId),
    caller: {
      accountId,
      arn: `arn:aws:iam::${accountId}:root`,
      userId: accountId,
      accessKeyId: accountId,
    },
  };
}
