import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SearchProvisionedProductsCommand } from '@aws-sdk/client-service-catalog';
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
import {
  clients,
  eventually,
  FRAUD_DEV,
  PROD,
  SHARED,
  useSandbox,
} from '../../__testUtils__/clients';

describe('SageMaker domains, projects, model cards, endpoints and tags', () => {
  // Steps long enough that a loaded machine still sees a new domain Pending before it is InService.
  const sandbox = useSandbox({ stepMs: 250 });
  const dev = () => clients(sandbox.current, FRAUD_DEV).sagemaker;

  it('creates a domain that becomes InService, adds a user, and deletes it', async () => {
    const createDomain = () =>
      dev().send(
        new CreateDomainCommand({
          DomainName: 'fraud-studio-2',
          AuthMode: 'IAM',
          VpcId: 'vpc-0abc',
          SubnetIds: ['subnet-1'],
          DefaultUserSettings: {
            ExecutionRole: `arn:aws:iam::${FRAUD_DEV}:role/sagemaker-exec`,
          },
        }),
      );
    const created = await createDomain();
    expect(created.DomainId).toMatch(/^d-/);
    expect(
      (
        await dev().send(
          new DescribeDomainCommand({ DomainId: created.DomainId }),
        )
      ).Status,
    ).toBe('Pending');
    await eventually(
      async () =>
        (
          await dev().send(
            new DescribeDomainCommand({ DomainId: created.DomainId }),
          )
        ).Status === 'InService',
    );
    const profile = await dev().send(
      new CreateUserProfileCommand({
        DomainId: created.DomainId,
        UserProfileName: 'dana',
      }),
    );
    expect(profile.UserProfileArn).toContain(
      `user-profile/${created.DomainId}/dana`,
    );
    const again = await createDomain().catch(e => e);
    expect(again.name).toBe('ResourceInUse');
    expect(
      (await dev().send(new ListDomainsCommand({}))).Domains?.map(
        d => d.DomainName,
      ),
    ).toContain('fraud-studio-2');
    await dev().send(new DeleteDomainCommand({ DomainId: created.DomainId }));
    await eventually(
      async () =>
        (
          await dev()
            .send(new DescribeDomainCommand({ DomainId: created.DomainId }))
            .catch(e => e)
        ).name === 'ResourceNotFound',
    );
  });

  it('names a missing domain parameter', async () => {
    const error = await dev()
      .send(
        new CreateDomainCommand({
          DomainName: 'x',
          AuthMode: 'IAM',
          SubnetIds: ['s'],
          DefaultUserSettings: {
            ExecutionRole: `arn:aws:iam::${FRAUD_DEV}:role/sagemaker-exec`,
          },
        } as any),
      )
      .catch(e => e);
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(/'vpcId'/i);
  });

  describe('projects, made from a template', () => {
    const BUCKET = `sagemaker-us-east-1-${FRAUD_DEV}`;
    const templateUrl = (key: string) =>
      `https://${BUCKET}.s3.us-east-1.amazonaws.com/${key}`;
    const template = [
      'Parameters:',
      '  SageMakerProjectName: { Type: String }',
      '  SageMakerProjectId: { Type: String }',
      '  Pipeline: { Type: String }',
      'Resources:',
      '  Record: { Type: AWS::CloudFormation::WaitConditionHandle }',
    ].join('\n');
    const fromTemplate = (
      name: string,
      key: string,
      parameters = [{ Key: 'Pipeline', Value: 'p' }],
    ) =>
      new CreateProjectCommand({
        ProjectName: name,
        ProjectDescription: 'S3 experiments',
        TemplateProviders: [
          {
            CfnTemplateProvider: {
              TemplateName: 'experiment',
              TemplateURL: templateUrl(key),
              Parameters: parameters,
            },
          },
        ],
      });
    const status = (name: string) =>
      eventually(async () => {
        const project = await dev().send(
          new DescribeProjectCommand({ ProjectName: name }),
        );
        return project.ProjectStatus === 'CreateInProgress'
          ? undefined
          : project;
      });

    it('creates a project from a CloudFormation template in S3, which it reports with its stack', async () => {
      await clients(sandbox.current, FRAUD_DEV).s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: 'templates/experiment.yaml',
          Body: template,
        }),
      );
      const { ProjectId } = await dev().send(
        fromTemplate('fraud-experiments-2', 'templates/experiment.yaml'),
      );
      const project = await status('fraud-experiments-2');
      expect(project).toMatchObject({
        ProjectId,
        ProjectStatus: 'CreateCompleted',
      });
      expect(
        project.TemplateProviderDetails?.[0].CfnTemplateProviderDetail,
      ).toMatchObject({
        TemplateName: 'experiment',
        TemplateURL: templateUrl('templates/experiment.yaml'),
        Parameters: [{ Key: 'Pipeline', Value: 'p' }],
        StackDetail: {
          Name: 'SageMaker-fraud-experiments-2-experiment',
          StatusMessage: 'CREATE_COMPLETE',
        },
      });
      expect(
        (await dev().send(new ListProjectsCommand({}))).ProjectSummaryList?.map(
          p => p.ProjectName,
        ),
      ).toContain('fraud-experiments-2');
    });

    it('fails the project when CloudFormation would fail its stack, with the reason', async () => {
      await dev().send(
        fromTemplate('bad-parameters', 'templates/experiment.yaml', [
          { Key: 'Pipline', Value: 'p' },
        ]),
      );
      const project = await status('bad-parameters');
      expect(project.ProjectStatus).toBe('CreateFailed');
      expect(
        project.TemplateProviderDetails?.[0].CfnTemplateProviderDetail
          ?.StackDetail?.StatusMessage,
      ).toBe('has no parameter Pipline');
    });

    it('creates a project from the Service Catalog product the platform team shared, provisioning it in the account', async () => {
      await dev().send(
        new CreateProjectCommand({
          ProjectName: 'fraud-from-product',
          ServiceCatalogProvisioningDetails: {
            ProductId: 'prod-expss30001',
            ProvisioningParameters: [
              { Key: 'InputDataUrl', Value: 's3://fraud-data/' },
            ],
          },
        }),
      );
      const project = await status('fraud-from-product');
      expect(project).toMatchObject({
        ProjectStatus: 'CreateCompleted',
        ServiceCatalogProvisioningDetails: { ProductId: 'prod-expss30001' },
      });
      const { ProvisionedProducts } = await clients(
        sandbox.current,
        FRAUD_DEV,
      ).servicecatalog.send(new SearchProvisionedProductsCommand({}));
      expect(
        ProvisionedProducts?.find(
          p =>
            p.Id ===
            project.ServiceCatalogProvisionedProductDetails
              ?.ProvisionedProductId,
        ),
      ).toMatchObject({
        ProductId: 'prod-expss30001',
        Status: 'AVAILABLE',
        Name: `SC-${FRAUD_DEV}-${project.ProjectId}`,
      });
    });

    it.each<[string, object, string]>([
      [
        'no template',
        {},
        'Exactly one of ServiceCatalogProvisioningDetails or TemplateProviders must be specified',
      ],
      [
        'both templates',
        {
          ServiceCatalogProvisioningDetails: { ProductId: 'prod-expss30001' },
          TemplateProviders: [
            {
              CfnTemplateProvider: {
                TemplateName: 't',
                TemplateURL: templateUrl('templates/experiment.yaml'),
              },
            },
          ],
        },
        'Exactly one of ServiceCatalogProvisioningDetails or TemplateProviders must be specified',
      ],
      [
        'a template that is not in S3',
        {
          TemplateProviders: [
            {
              CfnTemplateProvider: {
                TemplateName: 't',
                TemplateURL: templateUrl('templates/none.yaml'),
              },
            },
          ],
        },
        `TemplateURL ${templateUrl(
          'templates/none.yaml',
        )}: the S3 object does not exist`,
      ],
      [
        'a product no portfolio of the account offers',
        {
          ServiceCatalogProvisioningDetails: { ProductId: 'prod-smdomain0001' },
        },
        `Product prod-smdomain0001 is not in a Service Catalog portfolio account ${FRAUD_DEV} can use`,
      ],
      [
        'a product without its parameters',
        { ServiceCatalogProvisioningDetails: { ProductId: 'prod-expss30001' } },
        'Service Catalog refused product prod-expss30001: Parameter InputDataUrl must have a value',
      ],
    ])('refuses %s', async (_what, templates, message) => {
      const error = await dev()
        .send(
          new CreateProjectCommand({ ProjectName: 'refused', ...templates }),
        )
        .catch(e => e);
      expect(error.name).toBe('ValidationException');
      expect(error.message).toBe(message);
      expect(
        (
          await dev()
            .send(new DescribeProjectCommand({ ProjectName: 'refused' }))
            .catch(e => e)
        ).message,
      ).toBe('Project refused does not exist');
    });

    it('keeps the seeded projects, made from the shared product', async () => {
      const project = await dev().send(
        new DescribeProjectCommand({ ProjectName: 'fraud-experiments' }),
      );
      expect(project).toMatchObject({
        ProjectStatus: 'CreateCompleted',
        ServiceCatalogProvisioningDetails: { ProductId: 'prod-expss30001' },
      });
    });
  });

  it('keeps every version of a model card', async () => {
    const sm = clients(sandbox.current, SHARED).sagemaker;
    await sm.send(
      new CreateModelCardCommand({
        ModelCardName: 'credit',
        Content: '{"model_overview":{}}',
        ModelCardStatus: 'Draft',
      }),
    );
    await sm.send(
      new UpdateModelCardCommand({
        ModelCardName: 'credit',
        ModelCardStatus: 'Approved',
      }),
    );
    const latest = await sm.send(
      new DescribeModelCardCommand({ ModelCardName: 'credit' }),
    );
    expect(latest).toMatchObject({
      ModelCardVersion: 2,
      ModelCardStatus: 'Approved',
      Content: '{"model_overview":{}}',
    });
    const first = await sm.send(
      new DescribeModelCardCommand({
        ModelCardName: 'credit',
        ModelCardVersion: 1,
      }),
    );
    expect(first.ModelCardStatus).toBe('Draft');
    const versions = await sm.send(
      new ListModelCardVersionsCommand({
        ModelCardName: 'credit',
        SortOrder: 'Ascending',
      }),
    );
    expect(
      versions.ModelCardVersionSummaryList?.map(v => v.ModelCardVersion),
    ).toEqual([1, 2]);
    expect(
      (await sm.send(new ListModelCardsCommand({}))).ModelCardSummaries?.map(
        c => c.ModelCardName,
      ),
    ).toEqual(
      expect.arrayContaining(['credit', 'fraud-detection', 'churn-prediction']),
    );
    const bad = await sm
      .send(
        new CreateModelCardCommand({
          ModelCardName: 'broken',
          Content: 'not json',
          ModelCardStatus: 'Draft',
        }),
      )
      .catch(e => e);
    expect(bad.message).toContain('Content must be a JSON document');
    const missing = await sm
      .send(new DescribeModelCardCommand({ ModelCardName: 'nope' }))
      .catch(e => e);
    expect(missing.name).toBe('ResourceNotFound');
  });

  it('serves the seeded prod endpoint, tagged with the package it serves', async () => {
    const prod = clients(sandbox.current, PROD).sagemaker;
    const endpoint = await prod.send(
      new DescribeEndpointCommand({ EndpointName: 'fraud-detection-prod' }),
    );
    expect(endpoint.EndpointStatus).toBe('InService');
    const tags = await prod.send(
      new ListTagsCommand({ ResourceArn: endpoint.EndpointArn }),
    );
    expect(tags.Tags).toContainEqual({
      Key: 'sagemaker:model-package-arn',
      Value: `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/fraud-detection/1`,
    });
    expect(
      (await prod.send(new ListEndpointsCommand({}))).Endpoints?.map(
        e => e.EndpointName,
      ),
    ).toEqual(['fraud-detection-prod']);
    await prod.send(
      new AddTagsCommand({
        ResourceArn: endpoint.EndpointArn,
        Tags: [{ Key: 'team', Value: 'fraud' }],
      }),
    );
    expect(
      (
        await prod.send(
          new ListTagsCommand({ ResourceArn: endpoint.EndpointArn }),
        )
      ).Tags,
    ).toContainEqual({ Key: 'team', Value: 'fraud' });
  });
});
