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
