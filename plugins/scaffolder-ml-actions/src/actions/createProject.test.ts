import fs from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribePipelineCommand,
  DescribeProjectCommand,
  ListModelPackagesCommand,
  ListPipelineExecutionsCommand,
  SageMakerClient,
  SearchCommand,
} from '@aws-sdk/client-sagemaker';
import {
  contextWith,
  exampleInput,
  runFirstExampleWith,
  startActionSandbox,
  until,
} from '../__testUtils__/actionSandbox';
import { createProjectAction } from './createProject';
import { examples } from './createProject.examples';

const CHURN = '222222222223';
const BUCKET = `sagemaker-us-east-1-${CHURN}`;
const seedFile = (file: string) =>
  fs.readFileSync(
    path.resolve(__dirname, '../../seed/experiment', file),
    'utf8',
  );

describe('sagemaker:project:create', () => {
  let env: Awaited<ReturnType<typeof startActionSandbox>>;
  let action: ReturnType<typeof createProjectAction>;
  let sagemaker: SageMakerClient;
  let s3: S3Client;
  const object = async (key: string) =>
    (
      await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))
    ).Body!.transformToString();
  beforeAll(async () => {
    env = await startActionSandbox();
    action = createProjectAction({
      config: env.config,
      clients: env.clients,
      pollMs: 20,
    });
    sagemaker = new SageMakerClient(env.as(CHURN));
    s3 = new S3Client({ ...env.as(CHURN), forcePathStyle: true });
  });
  afterAll(() => env.close());

  it('runs its Athena example: project, shared group and pipeline; the first run registers a version with its lineage, once however often it is re-run', async () => {
    const input = exampleInput(examples[0]);
    const { ctx } = contextWith(input);
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'trainingData',
      'athena://555555555555/churn_lake.customer_features',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'systemEntityRef',
      'system:default/churn-dev--churn-athena',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'modelEntityRef',
      'resource:default/churn-dev--churn-athena',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'pipelineExecutionArn',
      expect.stringMatching(/:pipeline\/churn-athena-pipeline\/execution\//),
    );
    const projectId = (ctx.output as jest.Mock).mock.calls.find(
      c => c[0] === 'projectId',
    )[1];

    // The project is made from the template the action uploaded, next to the steps' seed code.
    const project = await sagemaker.send(
      new DescribeProjectCommand({ ProjectName: 'churn-athena' }),
    );
    expect(project.ProjectStatus).toBe('CreateCompleted');
    expect(
      project.TemplateProviderDetails?.[0].CfnTemplateProviderDetail,
    ).toMatchObject({
      TemplateName: 'experiment',
      TemplateURL: `https://${BUCKET}.s3.us-east-1.amazonaws.com/churn-athena/code/project.yaml`,
      Parameters: [
        { Key: 'PipelineName', Value: 'churn-athena-pipeline' },
        { Key: 'ModelPackageGroupName', Value: 'churn-athena' },
        { Key: 'SeedCodeUri', Value: `s3://${BUCKET}/churn-athena/code` },
      ],
      StackDetail: { StatusMessage: 'CREATE_COMPLETE' },
    });
    for (const file of ['project.yaml', 'preprocess.py', 'evaluate.py'])
      expect(await object(`churn-athena/code/${file}`)).toBe(seedFile(file));

    const pipeline = await sagemaker.send(
      new DescribePipelineCommand({ PipelineName: 'churn-athena-pipeline' }),
    );
    const definition = JSON.parse(pipeline.PipelineDefinition!);
    const [preprocess, train, evaluate, register] = definition.Steps;
    expect(definition.Steps.map((s: any) => s.Type)).toEqual([
      'Processing',
      'Training',
      'Processing',
      'RegisterModel',
    ]);
    expect(
      preprocess.Arguments.ProcessingInputs[0].DatasetDefinition
        .AthenaDatasetDefinition,
    ).toMatchObject({
      Database: 'churn_lake',
      QueryString: 'SELECT * FROM "churn_lake"."customer_features"',
    });
    // Each processing step runs its script from S3; each step reads what the earlier ones wrote by property reference.
    expect(preprocess.Arguments.ProcessingInputs[1].S3Input).toMatchObject({
      S3Uri: `s3://${BUCKET}/churn-athena/code/preprocess.py`,
      LocalPath: '/opt/ml/processing/input/code',
    });
    expect(preprocess.Arguments.AppSpecification.ContainerEntrypoint).toEqual([
      'python3',
      '/opt/ml/processing/input/code/preprocess.py',
    ]);
    expect(
      train.Arguments.InputDataConfig[0].DataSource.S3DataSource.S3Uri,
    ).toEqual({
      Get: "Steps.Preprocess.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri",
    });
    expect(evaluate.Arguments.ProcessingInputs[0].S3Input.S3Uri).toEqual({
      Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts',
    });
    expect(
      register.Arguments.InferenceSpecification.Containers[0].ModelDataUrl,
    ).toEqual({ Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' });

    // The run registers the first version, of the project, with the data it read.
    const [version] = await until('the first version', async () => {
      const found =
        (
          await sagemaker.send(
            new ListModelPackagesCommand({
              ModelPackageGroupName: 'churn-athena',
            }),
          )
        ).ModelPackageSummaryList ?? [];
      return found.length ? found : undefined;
    });
    const search = await sagemaker.send(
      new SearchCommand({
        Resource: 'ModelPackage',
        SearchExpression: {
          Filters: [
            {
              Name: 'ModelPackageGroupName',
              Operator: 'Equals',
              Value: 'churn-athena',
            },
          ],
        },
      }),
    );
    const registered = search.Results![0].ModelPackage!;
    expect(registered.ModelPackageArn).toBe(version.ModelPackageArn);
    expect(registered.MetadataProperties).toMatchObject({
      ProjectId: projectId,
      GeneratedBy: expect.stringContaining('churn-athena-pipeline/execution/'),
    });
    expect(registered.CustomerMetadataProperties).toMatchObject({
      'training-data': 'athena://555555555555/churn_lake.customer_features',
    });
    expect(registered.ModelApprovalStatus).toBe('PendingManualApproval');
    // The model the run's training job wrote, and the report its evaluation wrote.
    const executionId = registered
      .MetadataProperties!.GeneratedBy!.split('/')
      .pop();
    expect(registered.InferenceSpecification!.Containers![0].ModelDataUrl).toBe(
      `s3://${BUCKET}/churn-athena/${executionId}/model/pipelines-${executionId}-Train/output/model.tar.gz`,
    );
    const report = registered.ModelMetrics!.ModelQuality!.Statistics!.S3Uri!;
    expect(report).toBe(
      `s3://${BUCKET}/churn-athena/${executionId}/evaluation/evaluation.json`,
    );
    expect(
      JSON.parse(await object(report.replace(`s3://${BUCKET}/`, '')))
        .binary_classification_metrics.auc.value,
    ).toBe(Number(registered.CustomerMetadataProperties!.auc));

    const again = contextWith(input);
    await action.handler(again.ctx);
    expect(again.logged()).toEqual(
      expect.arrayContaining([
        `Uploaded the seed code to s3://${BUCKET}/churn-athena/code/`,
        expect.stringMatching(/^Project churn-athena already exists/),
        'Model package group churn-athena already exists; reusing it',
        'Pipeline churn-athena-pipeline already exists; reusing it',
      ]),
    );
    const runs = await sagemaker.send(
      new ListPipelineExecutionsCommand({
        PipelineName: 'churn-athena-pipeline',
      }),
    );
    expect(runs.PipelineExecutionSummaries).toHaveLength(1);
  });

  it.each([
    [
      1,
      's3',
      's3://sagemaker-us-east-1-222222222223/datasets/churn/',
      'S3Input',
    ],
    [
      2,
      'datazone',
      'datazone://dzd_4p9n6example/asset-churn-events',
      'DatasetDefinition',
    ],
    [
      3,
      'feature-store',
      'arn:aws:sagemaker:us-east-1:111111111111:feature-group/customer-features',
      'DatasetDefinition',
    ],
  ])(
    'runs its %s-th example (%s): the pipeline reads %s',
    async (index, _type, location, input) => {
      const { ctx } = contextWith(exampleInput(examples[index]));
      await action.handler(ctx);
      expect(ctx.output).toHaveBeenCalledWith('trainingData', location);
      expect(ctx.output).not.toHaveBeenCalledWith(
        'pipelineExecutionArn',
        expect.anything(),
      );
      const name = `${exampleInput(examples[index]).name}-pipeline`;
      const definition = JSON.parse(
        (
          await sagemaker.send(
            new DescribePipelineCommand({ PipelineName: name }),
          )
        ).PipelineDefinition!,
      );
      expect(definition.Parameters[0]).toEqual({
        Name: 'InputDataUrl',
        Type: 'String',
        DefaultValue: location,
      });
      expect(
        Object.keys(definition.Steps[0].Arguments.ProcessingInputs[0]),
      ).toContain(input);
    },
  );

  it("runs its 4-th example: the project made from the organisation's Service Catalog product, provisioned in the account", async () => {
    const { ctx, logged } = contextWith(exampleInput(examples[4]));
    await action.handler(ctx);
    expect(logged()).toContain(
      `Creating project churn-catalog (${
        (ctx.output as jest.Mock).mock.calls.find(c => c[0] === 'projectId')[1]
      }) from Service Catalog product prod-expss30001`,
    );
    const project = await sagemaker.send(
      new DescribeProjectCommand({ ProjectName: 'churn-catalog' }),
    );
    expect(project).toMatchObject({
      ProjectStatus: 'CreateCompleted',
      ServiceCatalogProvisioningDetails: { ProductId: 'prod-expss30001' },
    });
    expect(
      project.ServiceCatalogProvisionedProductDetails?.ProvisionedProductId,
    ).toMatch(/^pp-/);
    // The S3 experiment's run reads the team's data and registers its first version.
    await until('the first version', async () => {
      const found =
        (
          await sagemaker.send(
            new ListModelPackagesCommand({
              ModelPackageGroupName: 'churn-catalog',
            }),
          )
        ).ModelPackageSummaryList ?? [];
      return found.length ? found : undefined;
    });
  });

  it("names the project's template when SageMaker refuses it", async () => {
    const input = {
      ...exampleInput(examples[1]),
      name: 'churn-no-params',
      serviceCatalogProduct: { productId: 'prod-expss30001' },
    };
    await expect(action.handler(contextWith(input).ctx)).rejects.toThrow(
      'Could not create project churn-no-params in churn-dev (222222222223): ValidationException: Service Catalog refused product prod-expss30001: Parameter InputDataUrl must have a value',
    );
  });

  it('reports what it would create in a dry run, without calling AWS', async () => {
    env.sandbox.core.resetCounters();
    const { ctx, logged } = contextWith(
      { ...exampleInput(examples[0]), name: 'dry-project' },
      { dryRun: true },
    );
    await action.handler(ctx);
    expect(logged()).toEqual([
      'Would create project dry-project, group dry-project and pipeline dry-project-pipeline on athena://555555555555/churn_lake.customer_features in churn-dev',
    ]);
    expect(env.sandbox.counters()).toEqual({});
  });

  it('surfaces an AWS failure naming the step and account, and a re-run after the fix completes', async () => {
    env.sandbox.setFaults([
      { account: CHURN, operation: 'CreatePipeline', accessDenied: true },
    ]);
    const input = { ...exampleInput(examples[1]), name: 'churn-retry' };
    await expect(action.handler(contextWith(input).ctx)).rejects.toThrow(
      /^Could not create pipeline churn-retry-pipeline in churn-dev \(222222222223\): AccessDeniedException: /,
    );
    env.sandbox.setFaults([]);
    const { ctx, logged } = contextWith(input);
    await action.handler(ctx);
    expect(logged()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Project churn-retry already exists/),
        'Created pipeline churn-retry-pipeline reading s3://sagemaker-us-east-1-222222222223/datasets/churn/',
      ]),
    );
  });

  it('rejects invalid input before any AWS call', async () => {
    env.sandbox.core.resetCounters();
    await expect(
      runFirstExampleWith(action, examples, { account: 'ml-prod' }),
    ).rejects.toThrow(
      'account: experiment projects belong in a dev account; ml-prod is prod',
    );
    await expect(
      runFirstExampleWith(action, examples, {
        dataSource: {
          type: 'athena',
          account: 'nope',
          database: 'a',
          table: 'b',
        },
      }),
    ).rejects.toThrow(/'nope' is not a configured ML account/);
    expect(env.sandbox.counters()).toEqual({});
  });
});
