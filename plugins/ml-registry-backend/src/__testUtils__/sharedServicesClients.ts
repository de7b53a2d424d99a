import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { Sandbox, sandboxRootClientConfig } from '@ml-governance/aws-sandbox';

const SHARED = '111111111111';

/**
 * The shared services account's central registry and deploy pipelines, as its
 * root user, to play what the console and EventBridge do there.
 */
export function sharedServicesClients(sandbox: Sandbox) {
  const root = sandboxRootClientConfig(sandbox, SHARED);
  return {
    sagemaker: new SageMakerClient(root),
    codepipeline: new CodePipelineClient(root),
  };
}
