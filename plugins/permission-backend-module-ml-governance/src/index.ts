/**
 * The ML governance permission policy: who may decide each approval gate.
 *
 * @packageDocumentation
 */
export { permissionModuleMlGovernance as default } from './module';
export { MlGovernancePolicy, readApprovers, DEFAULT_APPROVERS } from './MlGovernancePolicy';
