import { requireIdentityAllows } from '../../authorization';
import type { ResourceTypeTable, StackResource } from '../../cloudFormation';
import { RequestContext, rootContext } from '../../context';
import { Json } from '../../state';
import { resourceOperations } from './resources';

/**
 * SageMaker hosting as CloudFormation creates it, with the stack's service
 * role: each resource is made by the SageMaker operation CloudFormation
 * calls, allowed only when the role's policies allow that action.
 */

/** The request context of the principal CloudFormation acts as in the stack's account. */
function contextOf(resource: StackResource): RequestContext {
  const root = rootContext(resource.core, resource.accountId);
  return resource.caller ? { ...root, caller: resource.caller } : root;
}

function call(
  resource: StackResource,
  operation: string,
  arn: string,
  input: Json,
) {
  const ctx = contextOf(resource);
  requireIdentityAllows(ctx.caller, `sagemaker:${operation}`, arn);
  return resourceOperations[operation](input, ctx);
}

/** CloudFormation's physical name for a resource the template leaves unnamed. */
const generatedName = (resource: StackResource) =>
  `${resource.logicalId}-${resource.core.randomId(12)}`.slice(0, 63);

const same = (a: Json, b: Json) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A model or endpoint config cannot be changed, only replaced
 * ("Update requires: Replacement"): an unnamed one is created anew on each
 * update; a named one that differs cannot be, as CloudFormation refuses to
 * replace a custom-named resource.
 */
function immutable(
  resource: StackResource,
  existing: Json | undefined,
  properties: Json,
  name: string,
) {
  if (!existing) return false;
  const { CreationTime, ModelArn, EndpointConfigArn, ...kept } = existing;
  if (same(kept, properties)) return true;
  return resource.fail(
    `CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename ${name} and update the stack again.`,
  );
}

const tagsOf = (tags: Json[] | undefined) => (tags ? { Tags: tags } : {});

export const sagemakerResourceTypes: ResourceTypeTable = {
  'AWS::SageMaker::Model': {
    reference:
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-model.html',
    properties: {
      Containers: false,
      EnableNetworkIsolation: false,
      ExecutionRoleArn: false,
      InferenceExecutionConfig: false,
      ModelName: false,
      PrimaryContainer: false,
      Tags: false,
      VpcConfig: false,
    },
    apply(properties, resource) {
      const { Tags, ...model } = properties;
      const name = model.ModelName ?? generatedName(resource);
      const arn = resource.core.arn(
        'sagemaker',
        resource.accountId,
        `model/${name.toLowerCase()}`,
      );
      const existing = resource.core.account(resource.accountId).models[name];
      if (!immutable(resource, existing, { ...model, ModelName: name }, name)) {
        call(resource, 'CreateModel', arn, {
          ...model,
          ModelName: name,
          ...tagsOf(Tags),
        });
      }
      return { ref: arn, attributes: { ModelName: name } };
    },
  },
  'AWS::SageMaker::EndpointConfig': {
    reference:
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-endpointconfig.html',
    properties: {
      AsyncInferenceConfig: false,
      DataCaptureConfig: false,
      EnableNetworkIsolation: false,
      EndpointConfigName: false,
      ExecutionRoleArn: false,
      ExplainerConfig: false,
      KmsKeyId: false,
      ProductionVariants: true,
      ShadowProductionVariants: false,
      Tags: false,
      VpcConfig: false,
    },
    apply(properties, resource) {
      const { Tags, ...declared } = properties;
      // CloudFormation gives the API the types of the resource's schema; a Ref to a Number parameter is a string in the template.
      const config: Json = {
        ...declared,
        ProductionVariants: declared.ProductionVariants.map((v: Json) => ({
          ...v,
          ...(v.InitialInstanceCount === undefined
            ? {}
            : { InitialInstanceCount: Number(v.InitialInstanceCount) }),
          ...(v.InitialVariantWeight === undefined
            ? {}
            : { InitialVariantWeight: Number(v.InitialVariantWeight) }),
        })),
      };
      const name = config.EndpointConfigName ?? generatedName(resource);
      const arn = resource.core.arn(
        'sagemaker',
        resource.accountId,
        `endpoint-config/${name.toLowerCase()}`,
      );
      const existing = resource.core.account(resource.accountId)
        .endpointConfigs[name];
      if (
        !immutable(
          resource,
          existing,
          { ...config, EndpointConfigName: name },
          name,
        )
      ) {
        call(resource, 'CreateEndpointConfig', arn, {
          ...config,
          EndpointConfigName: name,
          ...tagsOf(Tags),
        });
      }
      return { ref: arn, attributes: { EndpointConfigName: name } };
    },
  },
  'AWS::SageMaker::Endpoint': {
    reference:
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-endpoint.html',
    properties: {
      DeploymentConfig: false,
      EndpointConfigName: true,
      EndpointName: false,
      ExcludeRetainedVariantProperties: false,
      RetainAllVariantProperties: false,
      RetainDeploymentConfig: false,
      Tags: false,
    },
    unsupported: [
      'DeploymentConfig',
      'ExcludeRetainedVariantProperties',
      'RetainAllVariantProperties',
      'RetainDeploymentConfig',
    ],
    apply(properties, resource) {
      const name = properties.EndpointName ?? generatedName(resource);
      const arn = resource.core.arn(
        'sagemaker',
        resource.accountId,
        `endpoint/${name.toLowerCase()}`,
      );
      const exists = Boolean(
        resource.core.account(resource.accountId).endpoints[name],
      );
      // An endpoint is updated in place to a new config (Update requires: No interruption).
      if (exists)
        call(resource, 'UpdateEndpoint', arn, {
          EndpointName: name,
          EndpointConfigName: properties.EndpointConfigName,
        });
      else
        call(resource, 'CreateEndpoint', arn, {
          EndpointName: name,
          EndpointConfigName: properties.EndpointConfigName,
          ...tagsOf(properties.Tags),
        });
      return { ref: arn, attributes: { EndpointName: name } };
    },
  },
};
