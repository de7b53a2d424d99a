/**
 * Scaffolder actions that provision the ML platform on AWS.
 *
 * @packageDocumentation
 */
export { scaffolderModuleMlActions as default } from './module';
export { createResolveAccountAction } from './actions/resolveAccount';
export type {
  ResolveAccountInput,
  ResolveAccountOutput,
} from './actions/resolveAccount';
export type {
  AwsActionOptions,
  WaitingAwsActionOptions,
} from './actions/awsActionOptions';
export { createDomainAction } from './actions/createDomain';
export type {
  CreateDomainInput,
  CreateDomainOutput,
} from './actions/createDomain';
export { createUserProfileAction } from './actions/createUserProfile';
export type {
  CreateUserProfileInput,
  CreateUserProfileOutput,
} from './actions/createUserProfile';
export { createModelPackageGroupAction } from './actions/createModelPackageGroup';
export type {
  CreateModelPackageGroupInput,
  CreateModelPackageGroupOutput,
} from './actions/createModelPackageGroup';
export { createProjectAction } from './actions/createProject';
export type {
  CreateProjectInput,
  CreateProjectOutput,
} from './actions/createProject';
export { createDeployPipelineAction } from './actions/createDeployPipeline';
export type {
  CreateDeployPipelineInput,
  CreateDeployPipelineOutput,
} from './actions/createDeployPipeline';
export { createProvisionProductAction } from './actions/provisionProduct';
export type {
  ProvisionProductInput,
  ProvisionProductOutput,
} from './actions/provisionProduct';
export {
  portfolioTemplates,
  writeTemplateFiles,
} from './portfolio/portfolioTemplates';
export type { TemplateFile } from './portfolio/portfolioTemplates';
export type { Portfolio } from './portfolio/readPortfolio';
export {
  ANNOTATION_SERVICE_CATALOG_PORTFOLIO,
  ANNOTATION_SERVICE_CATALOG_PRODUCT,
} from './portfolio/productTemplate';
