import {
  BatchDescribeModelPackageCommand,
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  DeleteModelPackageGroupCommand,
  DescribeModelPackageCommand,
  DescribeModelPackageGroupCommand,
  GetModelPackageGroupPolicyCommand,
  ListModelPackageGroupsCommand,
  ListModelPackagesCommand,
  PutModelPackageGroupPolicyCommand,
  SearchCommand,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import {
  clients,
  FRAUD_DEV,
  PROD,
  SHARED,
  useSandbox,
} from '../../__testUtils__/clients';

describe('SageMaker model registry', () => {
  const sandbox = useSandbox();
  const dev = () => clients(sandbox.current, FRAUD_DEV).sagemaker;
  const shared = () => clients(sandbox.current, SHARED).sagemaker;

  it('creates, describes, lists and deletes groups', async () => {
    const { ModelPackageGroupArn } = await dev().send(
      new CreateModelPackageGroupCommand({
        ModelPackageGroupName: 'anomaly',
        ModelPackageGroupDescription: 'Anomalies',
      }),
    );
    expect(ModelPackageGroupArn).toBe(
      `arn:aws:sagemaker:us-east-1:${FRAUD_DEV}:model-package-group/anomaly`,
    );
    const group = await dev().send(
      new DescribeModelPackageGroupCommand({
        ModelPackageGroupName: 'anomaly',
      }),
    );
    expect(group).toMatchObject({
      ModelPackageGroupStatus: 'Completed',
      ModelPackageGroupDescription: 'Anomalies',
    });
    expect(group.CreationTime).toBeInstanceOf(Date);
    const list = await dev().send(
      new ListModelPackageGroupsCommand({ NameContains: 'anom' }),
    );
    expect(
      list.ModelPackageGroupSummaryList?.map(g => g.ModelPackageGroupName),
    ).toEqual(['anomaly']);
    await dev().send(
      new DeleteModelPackageGroupCommand({ ModelPackageGroupName: 'anomaly' }),
    );
    const gone = await dev()
      .send(
        new DescribeModelPackageGroupCommand({
          ModelPackageGroupName: 'anomaly',
        }),
      )
      .catch(e => e);
    expect(gone.message).toContain('anomaly does not exist');
  });

  it('versions packages, updates approval, and finds them with Search sorted by LastModifiedTime', async () => {
    await dev().send(
      new CreateModelPackageGroupCommand({
        ModelPackageGroupName: 'credit-risk',
      }),
    );
    const first = await dev().send(
      new CreateModelPackageCommand({
        ModelPackageGroupName: 'credit-risk',
        ModelApprovalStatus: 'PendingManualApproval',
        CustomerMetadataProperties: { accuracy: '0.91' },
        InferenceSpecification: {
          Containers: [{ Image: 'img:1', ModelDataUrl: 's3://b/model.tar.gz' }],
          SupportedContentTypes: ['text/csv'],
          SupportedResponseMIMETypes: ['text/csv'],
        },
        ModelMetrics: {
          Bias: {
            Report: {
              ContentType: 'application/json',
              S3Uri: 's3://b/bias.json',
            },
          },
        },
        ModelCard: {
          ModelCardContent: '{"model_overview":{}}',
          ModelCardStatus: 'Draft',
        },
      }),
    );
    const second = await dev().send(
      new CreateModelPackageCommand({ ModelPackageGroupName: 'credit-risk' }),
    );
    expect(first.ModelPackageArn).toMatch(/model-package\/credit-risk\/1$/);
    expect(second.ModelPackageArn).toMatch(/model-package\/credit-risk\/2$/);

    await dev().send(
      new UpdateModelPackageCommand({
        ModelPackageArn: first.ModelPackageArn,
        ModelApprovalStatus: 'Approved',
        ApprovalDescription: 'Approved by user:default/leo.lead',
      }),
    );
    const described = await dev().send(
      new DescribeModelPackageCommand({
        ModelPackageName: first.ModelPackageArn,
      }),
    );
    expect(described).toMatchObject({
      ModelPackageVersion: 1,
      ModelApprovalStatus: 'Approved',
      ApprovalDescription: 'Approved by user:default/leo.lead',
      CustomerMetadataProperties: { accuracy: '0.91' },
      ModelCard: { ModelCardStatus: 'Draft' },
    });
    expect(described.InferenceSpecification?.Containers?.[0].Image).toBe(
      'img:1',
    );

    const pending = await dev().send(
      new ListModelPackagesCommand({
        ModelPackageGroupName: 'credit-risk',
        ModelApprovalStatus: 'PendingManualApproval',
      }),
    );
    expect(
      pending.ModelPackageSummaryList?.map(p => p.ModelPackageVersion),
    ).toEqual([2]);

    // The group's versions, most recently modified first, one a page.
    const latestOfGroup = (NextToken?: string) =>
      dev().send(
        new SearchCommand({
          Resource: 'ModelPackage',
          SearchExpression: {
            Filters: [
              {
                Name: 'ModelPackageGroupName',
                Operator: 'Equals',
                Value: 'credit-risk',
              },
            ],
          },
          SortBy: 'LastModifiedTime',
          SortOrder: 'Descending',
          MaxResults: 1,
          NextToken,
        }),
      );
    const search = await latestOfGroup();
    expect(search.Results?.[0].ModelPackage?.ModelPackageVersion).toBe(1);
    const page2 = await latestOfGroup(search.NextToken);
    expect(page2.Results?.[0].ModelPackage?.ModelPackageVersion).toBe(2);
    expect(page2.NextToken).toBeUndefined();

    const since = await dev().send(
      new SearchCommand({
        Resource: 'ModelPackage',
        SearchExpression: {
          Filters: [
            {
              Name: 'LastModifiedTime',
              Operator: 'GreaterThan',
              Value: new Date(Date.now() + 60_000).toISOString(),
            },
          ],
        },
      }),
    );
    expect(since.Results).toEqual([]);

    const batch = await dev().send(
      new BatchDescribeModelPackageCommand({
        ModelPackageArnList: [
          first.ModelPackageArn!,
          `${first.ModelPackageArn!}0`,
        ],
      }),
    );
    expect(Object.keys(batch.ModelPackageSummaries ?? {})).toEqual([
      first.ModelPackageArn,
    ]);
    expect(
      Object.keys(batch.BatchDescribeModelPackageErrorMap ?? {}),
    ).toHaveLength(1);
  });

  it('lets any approval status follow any other, as SageMaker does: a rejected version can be approved later', async () => {
    await dev().send(
      new CreateModelPackageGroupCommand({
        ModelPackageGroupName: 'reconsidered',
      }),
    );
    const { ModelPackageArn } = await dev().send(
      new CreateModelPackageCommand({ ModelPackageGroupName: 'reconsidered' }),
    );
    const steps = [
      ['Rejected', 'AUC below 0.90'],
      ['Approved', 'AUC recomputed on the full holdout set: 0.93'],
      ['PendingManualApproval', 'Reopened for review'],
      ['Approved', 'Reviewed again'],
    ] as const;
    for (const [status, why] of steps) {
      await dev().send(
        new UpdateModelPackageCommand({
          ModelPackageArn,
          ModelApprovalStatus: status,
          ApprovalDescription: why,
        }),
      );
      expect(
        await dev().send(
          new DescribeModelPackageCommand({
            ModelPackageName: ModelPackageArn,
          }),
        ),
      ).toMatchObject({
        ModelApprovalStatus: status,
        ApprovalDescription: why,
      });
    }
  });

  it('creates one package per ClientToken, however often it is retried', async () => {
    await shared().send(
      new CreateModelPackageGroupCommand({
        ModelPackageGroupName: 'idempotent',
      }),
    );
    const input = {
      ModelPackageGroupName: 'idempotent',
      ClientToken: 'fraud-detection-7',
    };
    const a = await shared().send(new CreateModelPackageCommand(input));
    const b = await shared().send(new CreateModelPackageCommand(input));
    expect(b.ModelPackageArn).toBe(a.ModelPackageArn);
    const list = await shared().send(
      new ListModelPackagesCommand({ ModelPackageGroupName: 'idempotent' }),
    );
    expect(list.ModelPackageSummaryList).toHaveLength(1);
  });

  it('lets another account in only through the group policy', async () => {
    await shared().send(
      new CreateModelPackageGroupCommand({
        ModelPackageGroupName: 'shared-model',
      }),
    );
    const { ModelPackageArn } = await shared().send(
      new CreateModelPackageCommand({ ModelPackageGroupName: 'shared-model' }),
    );
    const prod = clients(sandbox.current, PROD).sagemaker;
    const denied = await prod
      .send(
        new DescribeModelPackageCommand({ ModelPackageName: ModelPackageArn }),
      )
      .catch(e => e);
    expect(denied.name).toBe('AccessDeniedException');

    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: [`arn:aws:iam::${PROD}:root`] },
          Action: ['sagemaker:DescribeModelPackage'],
          Resource: '*',
        },
      ],
    });
    await shared().send(
      new PutModelPackageGroupPolicyCommand({
        ModelPackageGroupName: 'shared-model',
        ResourcePolicy: policy,
      }),
    );
    expect(
      (
        await shared().send(
          new GetModelPackageGroupPolicyCommand({
            ModelPackageGroupName: 'shared-model',
          }),
        )
      ).ResourcePolicy,
    ).toBe(policy);
    const allowed = await prod.send(
      new DescribeModelPackageCommand({ ModelPackageName: ModelPackageArn }),
    );
    expect(allowed.ModelPackageArn).toBe(ModelPackageArn);
    const update = await prod
      .send(
        new UpdateModelPackageCommand({
          ModelPackageArn,
          ModelApprovalStatus: 'Approved',
        }),
      )
      .catch(e => e);
    expect(update.name).toBe('AccessDeniedException');
  });

  it('names bad input in a ValidationException', async () => {
    const badName = await dev()
      .send(
        new CreateModelPackageGroupCommand({
          ModelPackageGroupName: 'no spaces',
        }),
      )
      .catch(e => e);
    expect(badName.name).toBe('ValidationException');
    expect(badName.message).toContain("at 'modelPackageGroupName'");
    const missing = await dev()
      .send(new CreateModelPackageGroupCommand({} as any))
      .catch(e => e);
    expect(missing.message).toContain("Value null at 'modelPackageGroupName'");
    const badStatus = await dev()
      .send(
        new UpdateModelPackageCommand({
          ModelPackageArn: `arn:aws:sagemaker:us-east-1:${FRAUD_DEV}:model-package/fraud-detection/1`,
          ModelApprovalStatus: 'Maybe' as any,
        }),
      )
      .catch(e => e);
    expect(badStatus.message).toContain("at 'modelApprovalStatus'");
  });

  it('serves the seeded scenario: versions in every state', async () => {
    const list = await dev().send(
      new ListModelPackagesCommand({
        ModelPackageGroupName: 'fraud-detection',
        SortOrder: 'Ascending',
        SortBy: 'CreationTime',
      }),
    );
    expect(
      list.ModelPackageSummaryList?.map(p => p.ModelApprovalStatus),
    ).toEqual(['Approved', 'Approved', 'PendingManualApproval', 'Rejected']);
    const central = await shared().send(
      new ListModelPackagesCommand({
        ModelPackageGroupName: 'fraud-detection',
        SortBy: 'CreationTime',
        SortOrder: 'Ascending',
      }),
    );
    expect(
      central.ModelPackageSummaryList?.map(p => p.ModelApprovalStatus),
    ).toEqual(['Approved', 'PendingManualApproval']);
  });
});
