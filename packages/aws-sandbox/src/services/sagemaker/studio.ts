import { OperationTable } from '../../context';
import { AwsError, notFound } from '../../errors';
import { paginate, sortBy } from '../../paginate';
import { nowSeconds } from '../../state';
import { NAME_PATTERN, oneOf, str } from '../../validate';

/** SageMaker Studio domains and user profiles, and SageMaker projects. */
export const studioOperations: OperationTable = {
  CreateDomain(input, ctx) {
    const name = str(input, 'DomainName', NAME_PATTERN);
    const authMode = oneOf(input, 'AuthMode', ['SSO', 'IAM'] as const);
    str(input.DefaultUserSettings ?? {}, 'ExecutionRole');
    const vpcId = str(input, 'VpcId', /^vpc-[a-f0-9]{1,17}$/);
    if (!Array.isArray(input.SubnetIds) || input.SubnetIds.length === 0) {
      throw new AwsError('ValidationException', 'SubnetIds must hold at least one subnet id');
    }
    const existing = Object.values(ctx.account.domains).find(d => d.DomainName === name && d.Status !== 'Deleting');
    if (existing) {
      throw new AwsError('ResourceInUse', `Domain ${name} already exists: ${existing.DomainArn}`);
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
    ctx.core.later(2, () => {
      domain.Status = 'InService';
      domain.LastModifiedTime = nowSeconds();
    });
    ctx.core.changed();
    return { DomainArn: arn, DomainId: id, Url: domain.Url };
  },

  DescribeDomain(input, ctx) {
    const domain = ctx.account.domains[str(input, 'DomainId')];
    if (!domain) throw notFound('ResourceNotFound', `Domain ${input.DomainId} does not exist.`);
    return domain;
  },

  ListDomains(input, ctx) {
    const { page, NextToken } = paginate(sortBy(Object.values(ctx.account.domains), 'CreationTime'), input);
    return {
      Domains: page.map(d => ({
        DomainId: d.DomainId, DomainArn: d.DomainArn, DomainName: d.DomainName,
        Status: d.Status, CreationTime: d.CreationTime, LastModifiedTime: d.LastModifiedTime, Url: d.Url,
      })),
      NextToken,
    };
  },

  DeleteDomain(input, ctx) {
    const id = str(input, 'DomainId');
    const domain = ctx.account.domains[id];
    if (!domain) throw notFound('ResourceNotFound', `Domain ${id} does not exist.`);
    domain.Status = 'Deleting';
    ctx.core.later(2, () => {
      delete ctx.account.domains[id];
    });
    ctx.core.changed();
    return {};
  },

  CreateUserProfile(input, ctx) {
    const domainId = str(input, 'DomainId');
    const name = str(input, 'UserProfileName', NAME_PATTERN);
    if (!ctx.account.domains[domainId]) throw notFound('ResourceNotFound', `Domain ${domainId} does not exist.`);
    const key = `${domainId}/${name}`;
    if (ctx.account.userProfiles[key]) throw new AwsError('ResourceInUse', `User profile ${name} already exists`);
    const arn = ctx.core.arn('sagemaker', ctx.account.id, `user-profile/${key}`);
    ctx.account.userProfiles[key] = {
      DomainId: domainId, UserProfileName: name, UserProfileArn: arn, Status: 'InService',
      CreationTime: nowSeconds(), UserSettings: input.UserSettings,
    };
    ctx.core.changed();
    return { UserProfileArn: arn };
  },

  DescribeUserProfile(input, ctx) {
    const key = `${str(input, 'DomainId')}/${str(input, 'UserProfileName')}`;
    const profile = ctx.account.userProfiles[key];
    if (!profile) throw notFound('ResourceNotFound', `User profile ${input.UserProfileName} does not exist.`);
    return profile;
  },

  CreateProject(input, ctx) {
    const name = str(input, 'ProjectName', NAME_PATTERN);
    if (ctx.account.projects[name]) throw new AwsError('ValidationException', `Project ${name} already exists`);
    const id = `p-${ctx.core.randomId(12)}`;
    const arn = ctx.core.arn('sagemaker', ctx.account.id, `project/${name}`);
    ctx.account.projects[name] = {
      ProjectArn: arn, ProjectName: name, ProjectId: id,
      ProjectDescription: input.ProjectDescription,
      ServiceCatalogProvisioningDetails: input.ServiceCatalogProvisioningDetails,
      ProjectStatus: 'CreateCompleted', CreationTime: nowSeconds(),
      CreatedBy: { UserProfileName: ctx.caller.arn },
    };
    if (input.Tags) ctx.account.tags[arn] = input.Tags;
    ctx.core.changed();
    return { ProjectArn: arn, ProjectId: id };
  },

  DescribeProject(input, ctx) {
    const project = ctx.account.projects[str(input, 'ProjectName')];
    if (!project) throw new AwsError('ValidationException', `Project ${input.ProjectName} does not exist`);
    return project;
  },

  ListProjects(input, ctx) {
    const { page, NextToken } = paginate(sortBy(Object.values(ctx.account.projects), 'CreationTime', input.SortOrder), input);
    return {
      ProjectSummaryList: page.map(p => ({
        ProjectName: p.ProjectName, ProjectDescription: p.ProjectDescription, ProjectArn: p.ProjectArn,
        ProjectId: p.ProjectId, CreationTime: p.CreationTime, ProjectStatus: p.ProjectStatus,
      })),
      NextToken,
    };
  },
};
