import { OperationTable, RequestContext } from '../../context';
import { AwsError, validation } from '../../errors';
import { paginate, sortBy } from '../../paginate';
import { policyAllows } from '../../policy';
import { AccountState, Json, nowSeconds } from '../../state';
import {
  ARN_PATTERN,
  Input,
  NAME_PATTERN,
  oneOf,
  optOneOf,
  optStr,
  str,
} from '../../validate';
import { searchModelPackages } from './search';

/**
 * Who made or changed a model package (group): SageMaker reports the IAM
 * identity for these, a user profile only for Studio users
 * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UserContext.html).
 */
const callerContext = (ctx: RequestContext) => ({
  IamIdentity: { Arn: ctx.caller.arn, PrincipalId: ctx.caller.userId },
});

export const APPROVAL_STATUSES = [
  'Approved',
  'Rejected',
  'PendingManualApproval',
] as const;
const GROUP_ARN =
  /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:(\d{12}):model-package-group\/(.+)$/;
const PACKAGE_ARN =
  /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:(\d{12}):model-package\/([^/]+)\/(\d+)$/;

/**
 * Finds a model package group by name (in the caller's account) or by ARN (in
 * any account, when its resource policy lets the caller do `action`).
 */
export function resolveGroup(
  ctx: RequestContext,
  nameOrArn: string,
  action: string,
) {
  const arnMatch = nameOrArn.match(GROUP_ARN);
  const owner = arnMatch ? ctx.core.account(arnMatch[1]) : ctx.account;
  const name = arnMatch ? arnMatch[2] : nameOrArn;
  const group = owner.modelPackageGroups[name];
  if (!group) {
    throw validation(`ModelPackageGroup ${name} does not exist.`);
  }
  authorizeCrossAccount(ctx, owner, name, action);
  return { owner, group };
}

function authorizeCrossAccount(
  ctx: RequestContext,
  owner: AccountState,
  groupName: string,
  action: string,
) {
  if (owner.id === ctx.caller.accountId) return;
  if (
    !policyAllows(
      owner.modelPackageGroupPolicies[groupName],
      ctx.caller.arn,
      ctx.caller.accountId,
      action,
    )
  ) {
    throw new AwsError(
      'AccessDeniedException',
      `User: ${ctx.caller.arn} is not authorized to perform: ${action} on resource: ${owner.modelPackageGroups[groupName].ModelPackageGroupArn}`,
      403,
    );
  }
}

/** Finds a model package by ARN (any account, policy permitting) or by group name and version. */
export function resolvePackage(
  ctx: RequestContext,
  nameOrArn: string,
  action: string,
) {
  const arnMatch = nameOrArn.match(PACKAGE_ARN);
  if (!arnMatch) {
    // An unversioned name is a package of the caller's own account.
    const own = Object.values(ctx.account.modelPackages).find(
      p => p.ModelPackageName === nameOrArn,
    );
    if (!own) throw validation(`ModelPackage ${nameOrArn} does not exist.`);
    return { owner: ctx.account, modelPackage: own };
  }
  const owner = ctx.core.account(arnMatch[1]);
  const modelPackage = owner.modelPackages[nameOrArn];
  if (!modelPackage) {
    throw validation(`ModelPackage ${nameOrArn} does not exist.`);
  }
  authorizeCrossAccount(ctx, owner, arnMatch[2], action);
  return { owner, modelPackage };
}

function emitStateChange(
  ctx: RequestContext,
  owner: AccountState,
  modelPackage: Json,
) {
  const iso = (s: number) => new Date(s * 1000).toISOString();
  ctx.core.emit(owner.id, {
    source: 'aws.sagemaker',
    detailType: 'SageMaker Model Package State Change',
    resources: [modelPackage.ModelPackageArn],
    detail: {
      ...modelPackage,
      CreationTime: iso(modelPackage.CreationTime),
      LastModifiedTime: iso(modelPackage.LastModifiedTime),
    },
  });
}

function summary(p: Json) {
  return {
    ModelPackageName: p.ModelPackageName,
    ModelPackageGroupName: p.ModelPackageGroupName,
    ModelPackageVersion: p.ModelPackageVersion,
    ModelPackageArn: p.ModelPackageArn,
    ModelPackageDescription: p.ModelPackageDescription,
    CreationTime: p.CreationTime,
    ModelPackageStatus: p.ModelPackageStatus,
    ModelApprovalStatus: p.ModelApprovalStatus,
  };
}

/** A new version of a group as DescribeModelPackage shows it, from CreateModelPackage's input. */
function newModelPackage(
  ctx: RequestContext,
  input: Input,
  at: { group: Json; version: number; arn: string; approval: string },
): Json {
  const { group, version, arn, approval } = at;
  const now = nowSeconds();
  return {
    ModelPackageName: group.ModelPackageGroupName,
    ModelPackageGroupName: group.ModelPackageGroupName,
    ModelPackageVersion: version,
    ModelPackageArn: arn,
    ModelPackageDescription: input.ModelPackageDescription,
    CreationTime: now,
    LastModifiedTime: now,
    ModelPackageStatus: 'Completed',
    ModelPackageStatusDetails: {
      ValidationStatuses: [],
      ImageScanStatuses: [],
    },
    ModelApprovalStatus: approval,
    CertifyForMarketplace: false,
    CreatedBy: callerContext(ctx),
    LastModifiedBy: callerContext(ctx),
    InferenceSpecification: input.InferenceSpecification,
    ModelMetrics: input.ModelMetrics,
    CustomerMetadataProperties: input.CustomerMetadataProperties,
    MetadataProperties: input.MetadataProperties,
    ModelCard: input.ModelCard,
    SourceUri: input.SourceUri,
    Domain: input.Domain,
    Task: input.Task,
  };
}

/** Creates a model package in a group, as the register step and promotion do. */
export function createModelPackage(ctx: RequestContext, input: Input) {
  const groupRef = str(input, 'ModelPackageGroupName');
  if (!NAME_PATTERN.test(groupRef) && !GROUP_ARN.test(groupRef)) {
    throw validation(
      `Value '${groupRef}' at 'modelPackageGroupName' failed to satisfy constraint: Member must be a name or a model package group ARN`,
    );
  }
  const approval =
    optOneOf(input, 'ModelApprovalStatus', APPROVAL_STATUSES) ??
    'PendingManualApproval';
  const { owner, group } = resolveGroup(
    ctx,
    groupRef,
    'sagemaker:CreateModelPackage',
  );
  const clientToken = optStr(input, 'ClientToken');
  const tokenKey = `${group.ModelPackageGroupName}/${clientToken}`;
  if (clientToken && owner.clientTokens[tokenKey]) {
    // Idempotent: the same token returns the package it created before.
    return { ModelPackageArn: owner.clientTokens[tokenKey] };
  }
  const version = (owner.packageVersions[group.ModelPackageGroupName] ?? 0) + 1;
  owner.packageVersions[group.ModelPackageGroupName] = version;
  const arn = ctx.core.arn(
    'sagemaker',
    owner.id,
    `model-package/${group.ModelPackageGroupName}/${version}`,
  );
  const modelPackage = newModelPackage(ctx, input, {
    group,
    version,
    arn,
    approval,
  });
  owner.modelPackages[arn] = modelPackage;
  if (clientToken) owner.clientTokens[tokenKey] = arn;
  if (input.Tags) owner.tags[arn] = input.Tags;
  emitStateChange(ctx, owner, modelPackage);
  ctx.core.changed();
  return { ModelPackageArn: arn };
}

export const modelRegistryOperations: OperationTable = {
  CreateModelPackageGroup(input, ctx) {
    const name = str(input, 'ModelPackageGroupName', NAME_PATTERN);
    if (ctx.account.modelPackageGroups[name]) {
      throw validation(
        `Model Package Group already exists: ${ctx.core.arn(
          'sagemaker',
          ctx.account.id,
          `model-package-group/${name}`,
        )}`,
      );
    }
    const arn = ctx.core.arn(
      'sagemaker',
      ctx.account.id,
      `model-package-group/${name}`,
    );
    ctx.account.modelPackageGroups[name] = {
      ModelPackageGroupName: name,
      ModelPackageGroupArn: arn,
      ModelPackageGroupDescription: input.ModelPackageGroupDescription,
      CreationTime: nowSeconds(),
      CreatedBy: callerContext(ctx),
      ModelPackageGroupStatus: 'Completed',
    };
    if (input.Tags) ctx.account.tags[arn] = input.Tags;
    ctx.core.changed();
    return { ModelPackageGroupArn: arn };
  },

  DescribeModelPackageGroup(input, ctx) {
    return resolveGroup(
      ctx,
      str(input, 'ModelPackageGroupName'),
      'sagemaker:DescribeModelPackageGroup',
    ).group;
  },

  ListModelPackageGroups(input, ctx) {
    const contains = optStr(input, 'NameContains');
    const field =
      input.SortBy === 'Name' ? 'ModelPackageGroupName' : 'CreationTime';
    const groups = Object.values(ctx.account.modelPackageGroups).filter(
      g => !contains || g.ModelPackageGroupName.includes(contains),
    );
    const { page, NextToken } = paginate(
      sortBy(groups, field, input.SortOrder),
      input,
    );
    return {
      ModelPackageGroupSummaryList: page.map(g => ({
        ModelPackageGroupName: g.ModelPackageGroupName,
        ModelPackageGroupArn: g.ModelPackageGroupArn,
        ModelPackageGroupDescription: g.ModelPackageGroupDescription,
        CreationTime: g.CreationTime,
        ModelPackageGroupStatus: g.ModelPackageGroupStatus,
      })),
      NextToken,
    };
  },

  DeleteModelPackageGroup(input, ctx) {
    const name = str(input, 'ModelPackageGroupName', NAME_PATTERN);
    if (!ctx.account.modelPackageGroups[name]) {
      throw validation(`ModelPackageGroup ${name} does not exist.`);
    }
    if (
      Object.values(ctx.account.modelPackages).some(
        p => p.ModelPackageGroupName === name,
      )
    ) {
      throw new AwsError(
        'ConflictException',
        `Model Package Group ${name} still has model packages`,
      );
    }
    delete ctx.account.modelPackageGroups[name];
    delete ctx.account.modelPackageGroupPolicies[name];
    delete ctx.account.packageVersions[name];
    ctx.core.changed();
    return {};
  },

  PutModelPackageGroupPolicy(input, ctx) {
    const name = str(input, 'ModelPackageGroupName', NAME_PATTERN);
    const policy = str(input, 'ResourcePolicy');
    try {
      JSON.parse(policy);
    } catch {
      throw validation(`ResourcePolicy is not valid JSON`);
    }
    const { group } = resolveGroup(
      ctx,
      name,
      'sagemaker:PutModelPackageGroupPolicy',
    );
    ctx.account.modelPackageGroupPolicies[name] = policy;
    ctx.core.changed();
    return { ModelPackageGroupArn: group.ModelPackageGroupArn };
  },

  GetModelPackageGroupPolicy(input, ctx) {
    const name = str(input, 'ModelPackageGroupName', NAME_PATTERN);
    resolveGroup(ctx, name, 'sagemaker:GetModelPackageGroupPolicy');
    const policy = ctx.account.modelPackageGroupPolicies[name];
    if (!policy)
      throw validation(
        `Cannot find resource policy for ModelPackageGroup ${name}`,
      );
    return { ResourcePolicy: policy };
  },

  CreateModelPackage: (input, ctx) => createModelPackage(ctx, input),

  DescribeModelPackage(input, ctx) {
    return resolvePackage(
      ctx,
      str(input, 'ModelPackageName'),
      'sagemaker:DescribeModelPackage',
    ).modelPackage;
  },

  BatchDescribeModelPackage(input, ctx) {
    const arns = input.ModelPackageArnList;
    if (!Array.isArray(arns) || arns.length === 0 || arns.length > 100) {
      throw validation(`ModelPackageArnList must hold 1 to 100 ARNs`);
    }
    const ModelPackageSummaries: Record<string, Json> = {};
    const BatchDescribeModelPackageErrorMap: Record<string, Json> = {};
    for (const arn of arns) {
      try {
        const p = resolvePackage(
          ctx,
          String(arn),
          'sagemaker:DescribeModelPackage',
        ).modelPackage;
        // BatchDescribeModelPackageSummary has no ModelPackageName, unlike ModelPackageSummary.
        const { ModelPackageName: _name, ...batchSummary } = summary(p);
        ModelPackageSummaries[arn] = {
          ...batchSummary,
          InferenceSpecification: p.InferenceSpecification,
        };
      } catch (e: any) {
        BatchDescribeModelPackageErrorMap[arn] = {
          ErrorCode: e.code ?? 'InternalFailure',
          ErrorResponse: e.message,
        };
      }
    }
    return { ModelPackageSummaries, BatchDescribeModelPackageErrorMap };
  },

  ListModelPackages(input, ctx) {
    const groupRef = optStr(input, 'ModelPackageGroupName');
    const approval = optOneOf(input, 'ModelApprovalStatus', APPROVAL_STATUSES);
    const owner = groupRef
      ? resolveGroup(ctx, groupRef, 'sagemaker:ListModelPackages')
      : undefined;
    const source = owner ? owner.owner : ctx.account;
    const packages = Object.values(source.modelPackages).filter(
      p =>
        (!owner ||
          p.ModelPackageGroupName === owner.group.ModelPackageGroupName) &&
        (!approval || p.ModelApprovalStatus === approval),
    );
    const { page, NextToken } = paginate(
      sortBy(
        packages,
        input.SortBy === 'Name' ? 'ModelPackageName' : 'CreationTime',
        input.SortOrder,
      ),
      input,
    );
    return { ModelPackageSummaryList: page.map(summary), NextToken };
  },

  /**
   * Any approval status may follow any other, Rejected to Approved included:
   * SageMaker documents no order among the three and lets a version be
   * re-approved or rejected after the fact, each change a state change event
   * (https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-approve.html,
   * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateModelPackage.html).
   * The suite's gates, not the registry, refuse deciding a version twice.
   */
  UpdateModelPackage(input, ctx) {
    const arn = str(input, 'ModelPackageArn', ARN_PATTERN);
    const { owner, modelPackage } = resolvePackage(
      ctx,
      arn,
      'sagemaker:UpdateModelPackage',
    );
    const approval = optOneOf(input, 'ModelApprovalStatus', APPROVAL_STATUSES);
    const before = modelPackage.ModelApprovalStatus;
    if (approval) modelPackage.ModelApprovalStatus = approval;
    if (input.ApprovalDescription !== undefined) {
      modelPackage.ApprovalDescription = str(input, 'ApprovalDescription');
    }
    if (
      input.CustomerMetadataProperties ||
      input.CustomerMetadataPropertiesToRemove
    ) {
      const merged = {
        ...modelPackage.CustomerMetadataProperties,
        ...input.CustomerMetadataProperties,
      };
      for (const key of input.CustomerMetadataPropertiesToRemove ?? [])
        delete merged[key];
      modelPackage.CustomerMetadataProperties = merged;
    }
    if (input.ModelCard) modelPackage.ModelCard = input.ModelCard;
    modelPackage.LastModifiedTime = nowSeconds();
    modelPackage.LastModifiedBy = callerContext(ctx);
    if (approval && approval !== before)
      emitStateChange(ctx, owner, modelPackage);
    ctx.core.changed();
    return { ModelPackageArn: arn };
  },

  Search(input, ctx) {
    const resource = oneOf(input, 'Resource', [
      'ModelPackage',
      'ModelPackageGroup',
    ] as const);
    return searchModelPackages(ctx.account, resource, input);
  },
};
