import YAML from 'yaml';
import { applyStack } from '../../cloudFormation';
import { OperationTable, RequestContext } from '../../context';
import type { SandboxCore } from '../../core';
import { AwsError, notFound, validation } from '../../errors';
import { paginate, sortBy } from '../../paginate';
import { Json, nowSeconds } from '../../state';
import { NAME_PATTERN, oneOf, str } from '../../validate';
import { serviceCatalogOperations } from '../servicecatalog';

/**
 * Provisions the project's Service Catalog product in the caller's account,
 * as SageMaker does through Service Catalog: the product must be in a
 * portfolio the account can use (its own or one shared with it), and gets the
 * project's name and id as the SageMakerProjectName and SageMakerProjectId
 * parameters every SageMaker project template declares.
 * https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-projects-templates-custom.html
 */
function provisionProjectProduct(
  ctx: RequestContext,
  name: string,
  id: string,
  details: Json,
): string {
  const productId = str(details, 'ProductId');
  if (!ctx.account.products[productId]) {
    throw validation(
      `Product ${productId} is not in a Service Catalog portfolio account ${ctx.account.id} can use`,
    );
  }
  try {
    const { RecordDetail } = serviceCatalogOperations.ProvisionProduct(
      {
        ProductId: productId,
        ProvisioningArtifactId: details.ProvisioningArtifactId,
        PathId: details.PathId,
        ProvisionedProductName: `SC-${ctx.account.id}-${id}`,
        ProvisionToken: id,
        ProvisioningParameters: [
          ...(details.ProvisioningParameters ?? []),
          { Key: 'SageMakerProjectName', Value: name },
          { Key: 'SageMakerProjectId', Value: id },
        ],
      },
      ctx,
    );
    return RecordDetail.ProvisionedProductId;
  } catch (e: any) {
    throw validation(
      `Service Catalog refused product ${productId}: ${e.message}`,
    );
  }
}

/** The CloudFormation template a TemplateURL names: the https URL of an S3 object that exists. */
function templateAt(ctx: RequestContext, url: string): string {
  const m =
    /^https:\/\/(?:([a-z0-9.-]+)\.s3[.-](?:[a-z0-9-]+\.)?amazonaws\.com\/(.+)|s3[.-](?:[a-z0-9-]+\.)?amazonaws\.com\/([a-z0-9.-]+)\/(.+))$/.exec(
      url,
    );
  if (!m)
    throw validation(`TemplateURL ${url} is not the https URL of an S3 object`);
  const [bucket, key] = m[1] ? [m[1], m[2]] : [m[3], m[4]];
  const object =
    ctx.core.state.buckets[bucket]?.objects[decodeURIComponent(key)];
  if (!object)
    throw validation(`TemplateURL ${url}: the S3 object does not exist`);
  return Buffer.from(object.body, 'base64').toString('utf8');
}

/** The scheduled steps of Studio: a project's stack, a domain in service, a domain deleted (see SandboxCore.schedule). */
const PROJECT_STACK_TASK = 'sagemaker:project-stack';
const DOMAIN_IN_SERVICE_TASK = 'sagemaker:domain-in-service';
const DOMAIN_DELETED_TASK = 'sagemaker:domain-deleted';

/** Creates a project's stack from its template `text`; the project completes, or fails with CloudFormation's reason. */
export function createProjectStack(core: SandboxCore, args: Json) {
  const project = core.account(args.account).projects[args.project];
  const { CfnTemplateProviderDetail: provider } =
    project.TemplateProviderDetails[0];
  const stack = provider.StackDetail;
  try {
    const template = YAML.parse(args.text);
    const declared = template?.Parameters ?? {};
    const given: Record<string, string> = Object.fromEntries(
      provider.Parameters.map((p: Json) => [p.Key, p.Value ?? '']),
    );
    for (const [key, value] of [
      ['SageMakerProjectName', project.ProjectName],
      ['SageMakerProjectId', project.ProjectId],
    ]) {
      if (key in declared) given[key] = value;
    }
    applyStack(core, {
      source: provider.TemplateURL,
      template,
      accountId: args.account,
      stackName: stack.Name,
      parameters: given,
    });
    stack.StatusMessage = 'CREATE_COMPLETE';
    project.ProjectStatus = 'CreateCompleted';
  } catch (e: any) {
    stack.StatusMessage = String(e.message).replace(
      /^aws-sandbox: CloudFormation template \S+: /,
      '',
    );
    project.ProjectStatus = 'CreateFailed';
  }
  project.LastModifiedTime = nowSeconds();
}

export function domainInService(core: SandboxCore, args: Json) {
  const domain = core.account(args.account).domains[args.domain];
  if (!domain || domain.Status !== 'Pending') return;
  domain.Status = 'InService';
  domain.LastModifiedTime = nowSeconds();
}

export function domainDeleted(core: SandboxCore, args: Json) {
  delete core.account(args.account).domains[args.domain];
}

/**
 * Creates the stack of the project's CloudFormation template (TemplateProviders
 * holds exactly one, per the service model) a step later, through the
 * sandbox's CloudFormation; the project completes, or fails with
 * CloudFormation's reason. SageMaker fills in the project's name and id where
 * the template declares SageMakerProjectName and SageMakerProjectId.
 */
function deployProjectTemplates(
  ctx: RequestContext,
  project: Json,
  providers: Json[],
): Json[] {
  if (!Array.isArray(providers) || providers.length !== 1)
    throw validation(
      'TemplateProviders must hold exactly one template provider',
    );
  const provider = providers[0]?.CfnTemplateProvider;
  if (!provider)
    throw validation('TemplateProviders[0] needs a CfnTemplateProvider');
  str(provider, 'TemplateName', /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$/);
  const text = templateAt(ctx, str(provider, 'TemplateURL'));
  const parameters: Json[] = provider.Parameters ?? [];
  const stackName = `SageMaker-${project.ProjectName}-${provider.TemplateName}`;
  const stack: Json = {
    Name: stackName,
    Id: ctx.core.arn(
      'cloudformation',
      ctx.account.id,
      `stack/${stackName}/${ctx.core.randomId(12)}`,
    ),
    StatusMessage: 'CREATE_IN_PROGRESS',
  };
  ctx.core.schedule(1, PROJECT_STACK_TASK, {
    account: ctx.account.id,
    project: project.ProjectName,
    text,
  });
  return [
    {
      CfnTemplateProviderDetail: {
        TemplateName: provider.TemplateName,
        TemplateURL: provider.TemplateURL,
        ...(provider.RoleARN ? { RoleARN: provider.RoleARN } : {}),
        Parameters: parameters,
        StackDetail: stack,
      },
    },
  ];
}

/** A Service Catalog project's status follows its provisioned product's. */
function withProductStatus(ctx: RequestContext, project: Json): Json {
  const productId =
    project.ServiceCatalogProvisionedProductDetails?.ProvisionedProductId;
  const provisioned = productId
    ? ctx.account.provisionedProducts[productId]
    : undefined;
  if (!provisioned) return project;
  const status =
    (
      { AVAILABLE: 'CreateCompleted', ERROR: 'CreateFailed' } as Record<
        string,
        string
      >
    )[provisioned.Status] ?? 'CreateInProgress';
  return {
    ...project,
    ProjectStatus: status,
    ServiceCatalogProvisionedProductDetails: {
      ProvisionedProductId: productId,
      ProvisionedProductStatusMessage: provisioned.Status,
    },
  };
}

/** SageMaker Studio domains and user profiles, and SageMaker projects. */
export const studioOperations: OperationTable = {
  CreateDomain(input, ctx) {
    const name = str(input, 'DomainName', NAME_PATTERN);
    const authMode = oneOf(input, 'AuthMode', ['SSO', 'IAM'] as const);
    str(input.DefaultUserSettings ?? {}, 'ExecutionRole');
    const vpcId = str(input, 'VpcId', /^vpc-[a-f0-9]{1,17}$/);
    if (!Array.isArray(input.SubnetIds) || input.SubnetIds.length === 0) {
      throw new AwsError(
        'ValidationException',
        'SubnetIds must hold at least one subnet id',
      );
    }
    const existing = Object.values(ctx.account.domains).find(
      d => d.DomainName === name && d.Status !== 'Deleting',
    );
    if (existing) {
      throw new AwsError(
        'ResourceInUse',
        `Domain ${name} already exists: ${existing.DomainArn}`,
      );
    }
    const id = `d-${ctx.core.randomId(12)}`;
    const arn = ctx.core.arn('sagemaker', ctx.account.id, `domain/${id}`);
    const domain = {
      DomainId: id,
      DomainArn: arn,
      DomainName: name,
      AuthMode: authMode,
      DefaultUserSettings: input.DefaultUserSettings,
      VpcId: vpcId,
      SubnetIds: input.SubnetIds,
      Status: 'Pending',
      CreationTime: nowSeconds(),
      LastModifiedTime: nowSeconds(),
      Url: `https://${id}.studio.${ctx.core.region}.sagemaker.aws`,
    };
    ctx.account.domains[id] = domain;
    if (input.Tags) ctx.account.tags[arn] = input.Tags;
    ctx.core.schedule(2, DOMAIN_IN_SERVICE_TASK, {
      account: ctx.account.id,
      domain: id,
    });
    ctx.core.changed();
    return { DomainArn: arn, DomainId: id, Url: domain.Url };
  },

  DescribeDomain(input, ctx) {
    const domain = ctx.account.domains[str(input, 'DomainId')];
    if (!domain)
      throw notFound(
        'ResourceNotFound',
        `Domain ${input.DomainId} does not exist.`,
      );
    return domain;
  },

  ListDomains(input, ctx) {
    const { page, NextToken } = paginate(
      sortBy(Object.values(ctx.account.domains), 'CreationTime'),
      input,
    );
    return {
      Domains: page.map(d => ({
        DomainId: d.DomainId,
        DomainArn: d.DomainArn,
        DomainName: d.DomainName,
        Status: d.Status,
        CreationTime: d.CreationTime,
        LastModifiedTime: d.LastModifiedTime,
        Url: d.Url,
      })),
      NextToken,
    };
  },

  DeleteDomain(input, ctx) {
    const id = str(input, 'DomainId');
    const domain = ctx.account.domains[id];
    if (!domain)
      throw notFound('ResourceNotFound', `Domain ${id} does not exist.`);
    domain.Status = 'Deleting';
    ctx.core.schedule(2, DOMAIN_DELETED_TASK, {
      account: ctx.account.id,
      domain: id,
    });
    ctx.core.changed();
    return {};
  },

  CreateUserProfile(input, ctx) {
    const domainId = str(input, 'DomainId');
    const name = str(input, 'UserProfileName', NAME_PATTERN);
    if (!ctx.account.domains[domainId])
      throw notFound('ResourceNotFound', `Domain ${domainId} does not exist.`);
    const key = `${domainId}/${name}`;
    if (ctx.account.userProfiles[key])
      throw new AwsError(
        'ResourceInUse',
        `User profile ${name} already exists`,
      );
    const arn = ctx.core.arn(
      'sagemaker',
      ctx.account.id,
      `user-profile/${key}`,
    );
    ctx.account.userProfiles[key] = {
      DomainId: domainId,
      UserProfileName: name,
      UserProfileArn: arn,
      Status: 'InService',
      CreationTime: nowSeconds(),
      UserSettings: input.UserSettings,
    };
    ctx.core.changed();
    return { UserProfileArn: arn };
  },

  DescribeUserProfile(input, ctx) {
    const key = `${str(input, 'DomainId')}/${str(input, 'UserProfileName')}`;
    const profile = ctx.account.userProfiles[key];
    if (!profile)
      throw notFound(
        'ResourceNotFound',
        `User profile ${input.UserProfileName} does not exist.`,
      );
    return profile;
  },

  CreateProject(input, ctx) {
    const name = str(input, 'ProjectName', NAME_PATTERN);
    if (ctx.account.projects[name])
      throw new AwsError(
        'ValidationException',
        `Project ${name} already exists`,
      );
    // A project is made from a template: a Service Catalog product or a CloudFormation template in S3.
    // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateProject.html
    const fromProduct = input.ServiceCatalogProvisioningDetails !== undefined;
    if (fromProduct === (input.TemplateProviders !== undefined)) {
      throw validation(
        'Exactly one of ServiceCatalogProvisioningDetails or TemplateProviders must be specified',
      );
    }
    const id = `p-${ctx.core.randomId(12)}`;
    const arn = ctx.core.arn('sagemaker', ctx.account.id, `project/${name}`);
    const project: Json = {
      ProjectArn: arn,
      ProjectName: name,
      ProjectId: id,
      ProjectDescription: input.ProjectDescription,
      ProjectStatus: 'CreateInProgress',
      CreationTime: nowSeconds(),
      CreatedBy: { IamIdentity: { Arn: ctx.caller.arn } },
    };
    if (fromProduct) {
      const details = input.ServiceCatalogProvisioningDetails;
      project.ServiceCatalogProvisioningDetails = details;
      project.ServiceCatalogProvisionedProductDetails = {
        ProvisionedProductId: provisionProjectProduct(ctx, name, id, details),
      };
    } else {
      project.TemplateProviderDetails = deployProjectTemplates(
        ctx,
        project,
        input.TemplateProviders,
      );
    }
    ctx.account.projects[name] = project;
    if (input.Tags) ctx.account.tags[arn] = input.Tags;
    ctx.core.changed();
    return { ProjectArn: arn, ProjectId: id };
  },

  DescribeProject(input, ctx) {
    const project = ctx.account.projects[str(input, 'ProjectName')];
    if (!project)
      throw new AwsError(
        'ValidationException',
        `Project ${input.ProjectName} does not exist`,
      );
    return withProductStatus(ctx, project);
  },

  ListProjects(input, ctx) {
    const { page, NextToken } = paginate(
      sortBy(
        Object.values(ctx.account.projects),
        'CreationTime',
        input.SortOrder,
      ),
      input,
    );
    return {
      ProjectSummaryList: page.map(p => ({
        ProjectName: p.ProjectName,
        ProjectDescription: p.ProjectDescription,
        ProjectArn: p.ProjectArn,
        ProjectId: p.ProjectId,
        CreationTime: p.CreationTime,
        ProjectStatus: withProductStatus(ctx, p).ProjectStatus,
      })),
      NextToken,
    };
  },
};
