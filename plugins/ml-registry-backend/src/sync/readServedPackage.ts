import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { parseModelPackageArn } from '@ml-governance/plugin-ml-registry-common';
import { isAwsNotFound } from '@ml-governance/plugin-ml-registry-node';

/**
 * The model package an endpoint runs, read from what is deployed: the
 * endpoint's current config (DescribeEndpoint's EndpointConfigName; a config
 * being rolled out is in PendingDeploymentSummary instead,
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpoint.html),
 * its first production variant's model, and that model's container's
 * ModelPackageName (an ARN for a versioned package,
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ContainerDefinition.html).
 * Undefined when the chain is broken (the config or model was deleted, which
 * AWS allows while the endpoint runs) or names no versioned package.
 */
export async function readServedPackage(
  sagemaker: SageMakerClient,
  endpointName: string,
): Promise<string | undefined> {
  try {
    const { EndpointConfigName } = await sagemaker.send(
      new DescribeEndpointCommand({ EndpointName: endpointName }),
    );
    const { ProductionVariants = [] } = await sagemaker.send(
      new DescribeEndpointConfigCommand({ EndpointConfigName }),
    );
    const modelName = ProductionVariants[0]?.ModelName;
    if (!modelName) return undefined;
    const model = await sagemaker.send(
      new DescribeModelCommand({ ModelName: modelName }),
    );
    const name = (model.PrimaryContainer ?? model.Containers?.[0])
      ?.ModelPackageName;
    return name && parseModelPackageArn(name) ? name : undefined;
  } catch (e) {
    if (isAwsNotFound(e)) return undefined;
    throw e;
  }
}
