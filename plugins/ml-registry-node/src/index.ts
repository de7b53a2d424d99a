/**
 * Node.js pieces shared by the ML registry's backend plugin and modules.
 *
 * @packageDocumentation
 */
export { AwsClientFactory } from './AwsClientFactory';
export type { AwsClientConfig } from './AwsClientFactory';
export { awsClientFactoryServiceRef } from './awsClientFactoryServiceRef';
export { centralGroupName } from './centralGroupName';
export { ensureModelPackageGroup } from './ensureModelPackageGroup';
export type { ModelPackageGroupSpec } from './ensureModelPackageGroup';
export { datasetEntityName, entityName, modelEntityName } from './entityNames';
export {
  awsAccountOf,
  awsFaultOf,
  isAwsNotFound,
  unlessAwsNotFound,
} from './awsErrors';
export {
  defaultGovernanceChecklist,
  mlRegistryGovernanceChecklistExtensionPoint,
} from './extensions/governanceChecklist';
export type {
  GovernanceChecklist,
  GovernanceChecklistRequest,
  GovernanceChecklistVersion,
  MlRegistryGovernanceChecklistExtensionPoint,
} from './extensions/governanceChecklist';
export {
  configuredGateApprovers,
  mlRegistryGateApproversExtensionPoint,
} from './extensions/gateApprovers';
export type {
  GateApprovers,
  GateApproversRequest,
  MlRegistryGateApproversExtensionPoint,
} from './extensions/gateApprovers';
export {
  derivedModelOwner,
  mlRegistryModelOwnerExtensionPoint,
} from './extensions/modelOwner';
export type {
  MlRegistryModelOwnerExtensionPoint,
  ModelOwnerRequest,
  ModelOwnerResolver,
} from './extensions/modelOwner';
