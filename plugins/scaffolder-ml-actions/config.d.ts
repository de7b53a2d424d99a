export interface Config {
  mlRegistry?: {
    /**
     * The IAM roles, by name, that the template actions hand to AWS services
     * (always the role of that name in the account acted in; a template cannot
     * name one). Defaults are the names iam/ gives them.
     */
    roles?: {
      /** Studio users' default execution role in a dev account. Default sagemaker-execution. */
      studioExecution?: string;
      /** The experiment pipelines' role in a dev account. Default ml-sagemaker-pipeline. */
      experimentPipeline?: string;
      /** The deploy pipeline's role in shared services. Default ml-deploy-pipeline. */
      deployPipeline?: string;
      /** Its CodeBuild projects' role. Default ml-deploy-codebuild. */
      deployCodeBuild?: string;
      /** Its EventBridge rule's role. Default ml-deploy-events. */
      deployEvents?: string;
      /** Its role in the test and prod accounts. Default ml-deploy-cross-account. */
      deployCrossAccount?: string;
      /** CloudFormation's role there. Default ml-deploy-cloudformation. */
      deployCloudFormation?: string;
      /** The deployed model's execution role there. Default ml-deploy-model-execution. */
      deployModelExecution?: string;
    };
  };
}
