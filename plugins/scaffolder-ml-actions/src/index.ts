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
