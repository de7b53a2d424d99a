/**
 * A local multi-account AWS that the real AWS SDK v3 clients talk to.
 *
 * @packageDocumentation
 */
export { startSandbox } from './server';
export type { Sandbox, SandboxOptions } from './server';
