import { OperationTable, RequestContext } from '../../context';
import { SandboxCore } from '../../core';
import { AccountState, Json, nowSeconds } from '../../state';
import { validation } from '../../errors';
import { paginate, sortBy } from '../../paginate';
import { ARN_PATTERN, optStr, str } from '../../validate';
import { requireIdentityAllows } from '../../authorization';
import { requirePassRoleTo } from '../../passRole';
import { resolvePackage } from './modelRegistry';

/**
 * Creates or updates an endpoint serving a model package, InService, tagged
 * with the package it serves (deploy pipelines and seeding both use this).
 */
export function putEndpoint(
  core: SandboxCore,
  target: AccountState,
  endpointName: string,
  modelPackage: Json,
  options: {
    instanceCount?: number;
    pipeline?: string;
    endpointConfigName?: string;
  } = {},
) {
  const now = nowSeconds();
  const arn = core.arn(
    'sagemaker',
    target.id,
    `endpoint/${endpointName.toLowerCase()}`,
  );
  const count = options.instanceCount ?? 1;
  const existing = target.endpoints[endpointName];
  target.endpoints[endpointName] = {
    EndpointName: endpointName,
    EndpointArn: arn,
    EndpointConfigName:
      options.endpointConfigName ??
      `${endpointName}-${modelPackage.ModelPackageVersion}`,
    ProductionVariants: [
      {
        VariantName: 'AllTraffic',
        DeployedImages: (
          modelPackage.InferenceSpecification?.Containers ?? []
        ).map((c: Json) => ({ SpecifiedImage: c.Image })),
        CurrentWeight: 1,
        DesiredWeight: 1,
        CurrentInstanceCount: count,
        DesiredInstanceCount: count,
      },
    ],
    EndpointStatus: 'InService',
    CreationTime: existing?.CreationTime ?? now,
    LastModifiedTime: now,
  };
  target.tags[arn] = [
    { Key: 'sagemaker:model-package-arn', Value: modelPackage.ModelPackageArn },
    ...(options.pipeline
      ? [{ Key: 'codepipeline:pipeline', Value: options.pipeline }]
      : []),
  ];
  core.changed();
  return target.endpoints[endpointName];
}

/**
 * The model package a model's container deploys. Another account's package
 * must be readable through its group's resource policy, and only an Approved
 * package is deployed:
 * https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-deploy.html
 */
function packageOfContainer(
  ctx: RequestContext,
  container: Json | undefined,
): Json | undefined {
  if (!container?.ModelPackageName) return undefined;
  const { modelPackage } = resolvePackage(
    ctx,
    container.ModelPackageName,
    'sagemaker:DescribeModelPackage',
  );
  requireIdentityAllows(
    ctx.caller,
    'sagemaker:DescribeModelPackage',
    modelPackage.ModelPackageArn,
  );
  if (modelPackage.ModelApprovalStatus !== 'Approved') {
    throw validation(
      `Model package ${modelPackage.ModelPackageArn} is ${modelPackage.ModelApprovalStatus}: only an Approved model package can be deployed.`,
    );
  }
  return modelPackage;
}

function modelOf(account: AccountState, name: string) {
  const model = account.models[name];
  if (!model) throw validation(`Could not find model "${name}".`);
  return model;
}

function endpointConfigOf(account: AccountState, name: string) {
  const config = account.endpointConfigs[name];
  if (!config)
    throw validation(`Could not find endpoint configuration "${name}".`);
  return config;
}

/**
 * Serves an endpoint config's model: the endpoint runs the model package of
 * its first variant's model, as a deploy from the registry does.
 */
function serveEndpointConfig(
  ctx: RequestContext,
  endpointName: string,
  configName: string,
) {
  const config = endpointConfigOf(ctx.account, configName);
  const variant = config.ProductionVariants[0];
  const model = modelOf(ctx.account, variant.ModelName);
  const modelPackage = packageOfContainer(
    ctx,
    model.PrimaryContainer ?? model.Containers?.[0],
  );
  if (!modelPackage)
    throw validation(
      `Model ${model.ModelName} has no ModelPackageName: the sandbox serves model packages only.`,
    );
  return putEndpoint(ctx.core, ctx.account, endpointName, modelPackage, {
    instanceCount: variant.InitialInstanceCount ?? 1,
    endpointConfigName: configName,
  });
}

/** Hosting (models, endpoint configs, endpoints, as deploy pipelines' CloudFormation makes them), tags and lineage associations. */
export const resourceOperations: OperationTable = {
  CreateModel(input, ctx) {
    const name = str(input, 'ModelName');
    const arn = ctx.core.arn(
      'sagemaker',
      ctx.account.id,
      `model/${name.toLowerCase()}`,
    );
    if (ctx.account.models[name])
      throw validation(`Cannot create already existing model "${arn}".`);
    // SageMaker passes the execution role to the model's containers: https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html#sagemaker-roles-pass-role
    if (input.ExecutionRoleArn)
      requirePassRoleTo(
        ctx.caller,
        input.ExecutionRoleArn,
        'sagemaker.amazonaws.com',
      );
    packageOfContainer(ctx, input.PrimaryContainer);
    (input.Containers ?? []).forEach((c: Json) => packageOfContainer(ctx, c));
    const { Tags, ...model } = input;
    ctx.account.models[name] = {
      ...model,
      ModelArn: arn,
      CreationTime: nowSeconds(),
    };
    if (Tags) ctx.account.tags[arn] = Tags;
    ctx.core.changed();
    return { ModelArn: arn };
  },

  DescribeModel(input, ctx) {
    return modelOf(ctx.account, str(input, 'ModelName'));
  },

  CreateEndpointConfig(input, ctx) {
    const name = str(input, 'EndpointConfigName');
    const arn = ctx.core.arn(
      'sagemaker',
      ctx.account.id,
      `endpoint-config/${name.toLowerCase()}`,
    );
    if (ctx.account.endpointConfigs[name])
      throw validation(
        `Cannot create already existing endpoint configuration "${arn}".`,
      );
    for (const variant of input.ProductionVariants ?? [])
      modelOf(ctx.account, str(variant, 'ModelName'));
    const { Tags, ...config } = input;
    ctx.account.endpointConfigs[name] = {
      ...config,
      EndpointConfigArn: arn,
      CreationTime: nowSeconds(),
    };
    if (Tags) ctx.account.tags[arn] = Tags;
    ctx.core.changed();
    return { EndpointConfigArn: arn };
  },

  DescribeEndpointConfig(input, ctx) {
    return endpointConfigOf(ctx.account, str(input, 'EndpointConfigName'));
  },

  CreateEndpoint(input, ctx) {
    const name = str(input, 'EndpointName');
    if (ctx.account.endpoints[name]) {
      throw validation(
        `Cannot create already existing endpoint "${ctx.account.endpoints[name].EndpointArn}".`,
      );
    }
    const endpoint = serveEndpointConfig(
      ctx,
      name,
      str(input, 'EndpointConfigName'),
    );
    const given = (input.Tags ?? []).filter(
      (t: Json) =>
        !ctx.account.tags[endpoint.EndpointArn].some(own => own.Key === t.Key),
    );
    ctx.account.tags[endpoint.EndpointArn].push(...given);
    return { EndpointArn: endpoint.EndpointArn };
  },

  UpdateEndpoint(input, ctx) {
    const name = str(input, 'EndpointName');
    if (!ctx.account.endpoints[name])
      throw validation(`Could not find endpoint "${name}".`);
    return {
      EndpointArn: serveEndpointConfig(
        ctx,
        name,
        str(input, 'EndpointConfigName'),
      ).EndpointArn,
    };
  },

  DescribeEndpoint(input, ctx) {
    const name = str(input, 'EndpointName');
    const endpoint = ctx.account.endpoints[name];
    if (!endpoint) throw validation(`Could not find endpoint "${name}".`);
    return endpoint;
  },

  ListEndpoints(input, ctx) {
    const contains = optStr(input, 'NameContains');
    const endpoints = Object.values(ctx.account.endpoints).filter(
      e => !contains || e.EndpointName.includes(contains),
    );
    const { page, NextToken } = paginate(
      sortBy(endpoints, 'CreationTime', input.SortOrder),
      input,
    );
    return {
      Endpoints: page.map(e => ({
        EndpointName: e.EndpointName,
        EndpointArn: e.EndpointArn,
        CreationTime: e.CreationTime,
        LastModifiedTime: e.LastModifiedTime,
        EndpointStatus: e.EndpointStatus,
      })),
      NextToken,
    };
  },

  AddTags(input, ctx) {
    const arn = str(input, 'ResourceArn', ARN_PATTERN);
    if (!Array.isArray(input.Tags)) throw validation('Tags must be a list');
    const tags = new Map(
      (ctx.account.tags[arn] ?? []).map(t => [t.Key, t.Value]),
    );
    for (const t of input.Tags) {
      if (!t?.Key) throw validation('Every tag needs a Key');
      tags.set(t.Key, String(t.Value ?? ''));
    }
    ctx.account.tags[arn] = [...tags].map(([Key, Value]) => ({ Key, Value }));
    ctx.core.changed();
    return { Tags: ctx.account.tags[arn] };
  },

  ListTags(input, ctx) {
    const arn = str(input, 'ResourceArn', ARN_PATTERN);
    const { page, NextToken } = paginate(ctx.account.tags[arn] ?? [], input);
    return { Tags: page, NextToken };
  },

  ListAssociations(input, ctx) {
    const source = optStr(input, 'SourceArn');
    const destination = optStr(input, 'DestinationArn');
    const found = ctx.account.associations.filter(
      a =>
        (!source || a.SourceArn === source) &&
        (!destination || a.DestinationArn === destination),
    );
    const { page, NextToken } = paginate(found, input);
    return { AssociationSummaries: page, NextToken };
  },
};
