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
