/** The ids of the suite's scaffolder actions, in the order the module registers them. */
export const SUITE_ACTION_IDS = [
  'ml:account:resolve',
  'sagemaker:domain:create',
  'sagemaker:user-profile:create',
  'sagemaker:model-package-group:create',
  'sagemaker:project:create',
  'codepipeline:deploy-pipeline:create',
  'servicecatalog:product:provision',
];
