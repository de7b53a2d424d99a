/**
 * Scaffolder actions that provision the ML platform on AWS.
 *
 * @packageDocumentation
 */
export { scaffolderModuleMlActions as default } from './module';
export { createResolveAccountAction } from './actions/resolveAccount';
export { createDomainAction } from './actions/createDomain';
export { createUserProfileAction } from './actions/createUserProfile';
export { createModelPackageGroupAction } from './actions/createModelPackageGroup';
export { createProjectAction } from './actions/createProject';
export { createDeployPipelineAction } from './actions/createDeployPipeline';
export { createProvisionProductAction } from './actions/provisionProduct';
