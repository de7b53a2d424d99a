import { OperationTable } from '../../context';
import { SandboxCore } from '../../core';
import { AccountState, Json, nowSeconds } from '../../state';
import { validation } from '../../errors';
import { paginate, sortBy } from '../../paginate';
import { ARN_PATTERN, optStr, str } from '../../validate';

/**
 * Creates or updates an endpoint serving a model package, InService, tagged
 * with the package it serves (deploy pipelines and seeding both use this).
 */
export function putEndpoint(
  core: SandboxCore,
  target: AccountState,
  endpointName: string,
  modelPackage: Json,
  options: { instanceCount?: number; pipeline?: string } = {},
) {
  const now = nowSeconds();
  const arn = core.arn('sagemaker', target.id, `endpoint/${endpointName.toLowerCase()}`);
  const count = options.instanceCount ?? 1;
  const existing = target.endpoints[endpointName];
  target.endpoints[endpointName] = {
    EndpointName: endpointName,
    EndpointArn: arn,
    EndpointConfigName: `${endpointName}-${modelPackage.ModelPackageVersion}`,
    ProductionVariants: [{
      VariantName: 'AllTraffic',
      DeployedImages: (modelPackage.InferenceSpecification?.Containers ?? []).map((c: Json) => ({ SpecifiedImage: c.Image })),
      CurrentWeight: 1, DesiredWeight: 1, CurrentInstanceCount: count, DesiredInstanceCount: count,
    }],
    EndpointStatus: 'InService',
    CreationTime: existing?.CreationTime ?? now,
    LastModifiedTime: now,
  };
  target.tags[arn] = [
    { Key: 'sagemaker:model-package-arn', Value: modelPackage.ModelPackageArn },
    ...(options.pipeline ? [{ Key: 'codepipeline:pipeline', Value: options.pipeline }] : []),
  ];
  core.changed();
  return target.endpoints[endpointName];
}

/** Endpoints (created by deploy pipelines), tags and lineage associations. */
export const resourceOperations: OperationTable = {
  DescribeEndpoint(input, ctx) {
    const name = str(input, 'EndpointName');
    const endpoint = ctx.account.endpoints[name];
    if (!endpoint) throw validation(`Could not find endpoint "${name}".`);
    return endpoint;
  },

  ListEndpoints(input, ctx) {
    const contains = optStr(input, 'NameContains');
    const endpoints = Object.values(ctx.account.endpoints).filter(e => !contains || e.EndpointName.includes(contains));
    const { page, NextToken } = paginate(sortBy(endpoints, 'CreationTime', input.SortOrder), input);
    return {
      Endpoints: page.map(e => ({
        EndpointName: e.EndpointName, EndpointArn: e.EndpointArn, CreationTime: e.CreationTime,
        LastModifiedTime: e.LastModifiedTime, EndpointStatus: e.EndpointStatus,
      })),
      NextToken,
    };
  },

  AddTags(input, ctx) {
    const arn = str(input, 'ResourceArn', ARN_PATTERN);
    if (!Array.isArray(input.Tags)) throw validation('Tags must be a list');
    const tags = new Map((ctx.account.tags[arn] ?? []).map(t => [t.Key, t.Value]));
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
      a => (!source || a.SourceArn === source) && (!destination || a.DestinationArn === destination),
    );
    const { page, NextToken } = paginate(found, input);
    return { AssociationSummaries: page, NextToken };
  },
};
