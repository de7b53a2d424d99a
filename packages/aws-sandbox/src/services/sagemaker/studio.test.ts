import {
  AddTagsCommand,
  CreateDomainCommand,
  CreateModelCardCommand,
  CreateProjectCommand,
  CreateUserProfileCommand,
  DeleteDomainCommand,
  DescribeDomainCommand,
  DescribeEndpointCommand,
  DescribeModelCardCommand,
  DescribeProjectCommand,
  ListDomainsCommand,
  ListEndpointsCommand,
  ListModelCardsCommand,
  ListModelCardVersionsCommand,
  ListProjectsCommand,
  ListTagsCommand,
  UpdateModelCardCommand,
} from '@aws-sdk/client-sagemaker';
import { clients, eventually, FRAUD_DEV, PROD, SHARED, useSandbox } from '../../__testUtils__/clients';

describe('SageMaker domains, projects, model cards, endpoints and tags', () => {
  const sandbox = useSandbox();
  const dev = () => clients(sandbox.current, FRAUD_DEV).sagemaker;

  it('creates a domain that becomes InService, adds a user, and deletes it', async () => {
    const created = await dev().send(new CreateDomainCommand({
      DomainName: 'fraud-studio-2', AuthMode: 'IAM', VpcId: 'vpc-0abc', SubnetIds: ['subnet-1'],
      DefaultUserSettings: { ExecutionRole: `arn:aws:iam::${FRAUD_DEV}:role/sagemaker-exec` },
    }));
    expect(created.DomainId).toMatch(/^d-/);
    expect((await dev().send(new DescribeDomainCommand({ DomainId: created.DomainId }))).Status).toBe('Pending');
    await eventually(async () => (await dev().send(new DescribeDomainCommand({ DomainId: created.DomainId }))).Status === 'InService');
    const profile = await dev().send(new CreateUserProfileCommand({ DomainId: created.DomainId, UserProfileName: 'dana' }));
    expect(profile.UserProfileArn).toContain(`user-profile/${created.DomainId}/dana`);
    const again = await dev().send(new CreateDomainCommand({
      DomainName: 'fraud-studio-2', AuthMode: 'IAM', VpcId: 'vpc-0abc', SubnetIds: ['subnet-1'],
      DefaultUserSettings: { ExecutionRole: `arn:aws:iam::${FRAUD_DEV}:role/sagemaker-exec` },
    })).catch(e => e);
    expect(again.name).toBe('ResourceInUse');
    expect((await dev().send(new ListDomainsCommand({}))).Domains?.map(d => d.DomainName)).toContain('fraud-studio-2');
    await dev().send(new DeleteDomainCommand({ DomainId: created.DomainId }));
    await eventually(async () => (await dev().send(new DescribeDomainCommand({ DomainId: created.DomainId })).catch(e => e)).name === 'ResourceNotFound');
  });

  it('names a missing domain parameter', async () => {
    const error = await dev().send(new CreateDomainCommand({ DomainName: 'x', AuthMode: 'IAM', SubnetIds: ['s'], DefaultUserSettings: { ExecutionRole: 'r' } } as any)).catch(e => e);
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain("'VpcId'");
  });

  it('creates and lists projects', async () => {
    const { ProjectId } = await dev().send(new CreateProjectCommand({ ProjectName: 'fraud-experiments-2', ProjectDescription: 'S3 experiments' }));
    const project = await dev().send(new DescribeProjectCommand({ ProjectName: 'fraud-experiments-2' }));
    expect(project).toMatchObject({ ProjectId, ProjectStatus: 'CreateCompleted' });
    expect((await dev().send(new ListProjectsCommand({}))).ProjectSummaryList?.map(p => p.ProjectName)).toContain('fraud-experiments-2');
  });

  it('keeps every version of a model card', async () => {
    const sm = clients(sandbox.current, SHARED).sagemaker;
    await sm.send(new CreateModelCardCommand({ ModelCardName: 'credit', Content: '{"model_overview":{}}', ModelCardStatus: 'Draft' }));
    await sm.send(new UpdateModelCardCommand({ ModelCardName: 'credit', ModelCardStatus: 'Approved' }));
    const latest = await sm.send(new DescribeModelCardCommand({ ModelCardName: 'credit' }));
    expect(latest).toMatchObject({ ModelCardVersion: 2, ModelCardStatus: 'Approved', Content: '{"model_overview":{}}' });
    const first = await sm.send(new DescribeModelCardCommand({ ModelCardName: 'credit', ModelCardVersion: 1 }));
    expect(first.ModelCardStatus).toBe('Draft');
    const versions = await sm.send(new ListModelCardVersionsCommand({ ModelCardName: 'credit', SortOrder: 'Ascending' }));
    expect(versions.ModelCardVersionSummaryList?.map(v => v.ModelCardVersion)).toEqual([1, 2]);
    expect((await sm.send(new ListModelCardsCommand({}))).ModelCardSummaries?.map(c => c.ModelCardName)).toEqual(
      expect.arrayContaining(['credit', 'fraud-detection', 'churn-prediction']),
    );
    const bad = await sm.send(new CreateModelCardCommand({ ModelCardName: 'broken', Content: 'not json', ModelCardStatus: 'Draft' })).catch(e => e);
    expect(bad.message).toContain('Content must be a JSON document');
    const missing = await sm.send(new DescribeModelCardCommand({ ModelCardName: 'nope' })).catch(e => e);
    expect(missing.name).toBe('ResourceNotFound');
  });

  it('serves the seeded prod endpoint, tagged with the package it serves', async () => {
    const prod = clients(sandbox.current, PROD).sagemaker;
    const endpoint = await prod.send(new DescribeEndpointCommand({ EndpointName: 'fraud-detection-prod' }));
    expect(endpoint.EndpointStatus).toBe('InService');
    const tags = await prod.send(new ListTagsCommand({ ResourceArn: endpoint.EndpointArn }));
    expect(tags.Tags).toContainEqual({ Key: 'sagemaker:model-package-arn', Value: `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/fraud-detection/1` });
    expect((await prod.send(new ListEndpointsCommand({}))).Endpoints?.map(e => e.EndpointName)).toEqual(['fraud-detection-prod']);
    await prod.send(new AddTagsCommand({ ResourceArn: endpoint.EndpointArn, Tags: [{ Key: 'team', Value: 'fraud' }] }));
    expect((await prod.send(new ListTagsCommand({ ResourceArn: endpoint.EndpointArn }))).Tags).toContainEqual({ Key: 'team', Value: 'fraud' });
  });
});
