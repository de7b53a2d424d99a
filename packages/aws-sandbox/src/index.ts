/**
 * A local multi-account AWS that the real AWS SDK v3 clients talk to.
 *
 * @packageDocumentation
 */
export { startSandbox, DEFAULT_SCENARIO, SANDBOX_AWS_CONFIG } from './sandbox';
export type { Sandbox, SandboxOptions } from './sandbox';
export {
  SANDBOX_ML_ACCOUNTS,
  sandboxRootClientConfig,
  startSdkSandbox,
} from './sdkSandbox';
export type { SdkSandboxOptions } from './sdkSandbox';
export type { Fault } from './faults';
export { seedScale } from './scale';
export type { ScaleOptions } from './scale';
