/**
 * The ML governance permission policy: who may decide each approval gate.
 *
 * @packageDocumentation
 */
export { permissionModuleMlGovernance as default } from './module';
export { MlGovernancePolicy } from './MlGovernancePolicy';
