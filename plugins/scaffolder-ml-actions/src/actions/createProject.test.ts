import {
  DescribePipelineCommand,
  ListModelPackagesCommand,
  ListPipelineExecutionsCommand,
  SageMakerClient,
  SearchCommand,
} from '@aws-sdk/client-sagemaker';
import { contextWith, exampleInput, startActionSandbox, until } from '../__testUtils__/actionSandbox';
import { createProjectAction } from './createProject';
import { examples } from './createProject.examples';

const CHURN = '222222222223';

describe('sagemaker:project:create', () => {
  let env: Awaited<ReturnType<typeof startActionSandbox>>;
  let action: ReturnType<typeof createProjectAction>;
  let sagemaker: SageMakerClient;
  beforeAll(async () => {
    env = await startActionSandbox();
    action = createProjectAction({ config: env.config, clients: env.clients });
    sagemaker = new SageMakerClient(env.as(CHURN));
  });
  afterAll(() => env.close());

  it('runs its Athena example: project, shared group and pipeline; the first run registers a version with its lineage, once however often it is re-run', async () => {
    const input = exampleInput(examples[0]);
    const { ctx } = contextWith(input);
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('trainingData', 'athena://555555555555/churn_lake.customer_features');
    expect(ctx.output).toHaveBeenCalledWith('systemEntityRef', 'system:default/churn-dev--churn-athena');
    expect(ctx.output).toHaveBeenCalledWith('modelEntityRef', 'resource:default/churn-dev--churn-athena');
    expect(ctx.output).toHaveBeenCalledWith('pipelineExecutionArn', expect.stringMatching(/:pipeline\/churn-athena-pipeline\/execution\//));
    const projectId = (ctx.output as jest.Mock).mock.calls.find(c => c[0] === 'projectId')[1];

    const pipeline = await sagemaker.send(new DescribePipelineCommand({ PipelineName: 'churn-athena-pipeline' }));
    const definition = JSON.parse(pipeline.PipelineDefinition!);
    expect(definition.Steps.map((s: any) => s.Type)).toEqual(['Processing', 'Training', 'Processing', 'RegisterModel']);
    expect(definition.Steps[0].Arguments.ProcessingInputs[0].DatasetDefinition.AthenaDatasetDefinition)
      .toMatchObject({ Database: 'churn_lake', QueryString: 'SELECT * FROM "churn_lake"."customer_features"' });

    // The run registers the first version, of the project, with the data it read.
    const [version] = await until('the first version', async () => {
      const found = (await sagemaker.send(new ListModelPackagesCommand({ ModelPackageGroupName: 'churn-athena' }))).ModelPackageSummaryList ?? [];
      return found.length ? found : undefined;
    });
    const search = await sagemaker.send(new SearchCommand({
      Resource: 'ModelPackage', SearchExpression: { Filters: [{ Name: 'ModelPackageGroupName', Operator: 'Equals', Value: 'churn-athena' }] },
    }));
    const registered = search.Results![0].ModelPackage!;
    expect(registered.ModelPackageArn).toBe(version.ModelPackageArn);
    expect(registered.MetadataProperties).toMatchObject({ ProjectId: projectId, GeneratedBy: expect.stringContaining('churn-athena-pipeline/execution/') });
    expect(registered.CustomerMetadataProperties).toMatchObject({ 'training-data': 'athena://555555555555/churn_lake.customer_features' });
    expect(registered.ModelApprovalStatus).toBe('PendingManualApproval');

    const again = contextWith(input);
    await action.handler(again.ctx);
    expect(again.logged()).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Project churn-athena already exists/), 'Model package group churn-athena already exists; reusing it',
      'Pipeline churn-athena-pipeline already exists; reusing it',
    ]));
    const runs = await sagemaker.send(new ListPipelineExecutionsCommand({ PipelineName: 'churn-athena-pipeline' }));
    expect(runs.PipelineExecutionSummaries).toHaveLength(1);
  });

  it.each([
    [1, 's3', 's3://sagemaker-us-east-1-222222222223/datasets/churn/', 'S3Input'],
    [2, 'datazone', 'datazone://dzd_4p9n6example/asset-churn-events', 'DatasetDefinition'],
    [3, 'feature-store', 'arn:aws:sagemaker:us-east-1:111111111111:feature-group/customer-features', 'DatasetDefinition'],
  ])('runs its %s-th example (%s): the pipeline reads %s', async (index, _type, location, input) => {
    const { ctx } = contextWith(exampleInput(examples[index]));
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('trainingData', location);
    expect(ctx.output).not.toHaveBeenCalledWith('pipelineExecutionArn', expect.anything());
    const name = `${exampleInput(examples[index]).name}-pipeline`;
    const definition = JSON.parse((await sagemaker.send(new DescribePipelineCommand({ PipelineName: name }))).PipelineDefinition!);
    expect(definition.Parameters[0]).toEqual({ Name: 'InputDataUrl', Type: 'String', DefaultValue: location });
    expect(Object.keys(definition.Steps[0].Arguments.ProcessingInputs[0])).toContain(input);
  });

  it('reports what it would create in a dry run, without calling AWS', async () => {
    env.sandbox.core.resetCounters();
    const { ctx, logged } = contextWith({ ...exampleInput(examples[0]), name: 'dry-project' }, { dryRun: true });
    await action.handler(ctx);
    expect(logged()).toEqual(['Would create project dry-project, group dry-project and pipeline dry-project-pipeline on athena://555555555555/churn_lake.customer_features in churn-dev']);
    expect(env.sandbox.counters()).toEqual({});
  });

  it('surfaces an AWS failure naming the step and account, and a re-run after the fix completes', async () => {
    env.sandbox.setFaults([{ account: CHURN, operation: 'CreatePipeline', accessDenied: true }]);
    const input = { ...exampleInput(examples[1]), name: 'churn-retry' };
    await expect(action.handler(contextWith(input).ctx)).rejects.toThrow(
      /^Could not create pipeline churn-retry-pipeline in churn-dev \(222222222223\): AccessDeniedException: /,
    );
    env.sandbox.setFaults([]);
    const { ctx, logged } = contextWith(input);
    await action.handler(ctx);
    expect(logged()).toEqual(expect.arrayContaining([expect.stringMatching(/^Project churn-retry already exists/), 'Created pipeline churn-retry-pipeline reading s3://sagemaker-us-east-1-222222222223/datasets/churn/']));
  });

  it('rejects invalid input before any AWS call', async () => {
    env.sandbox.core.resetCounters();
    await expect(action.handler(contextWith({ ...exampleInput(examples[0]), account: 'ml-prod' }).ctx))
      .rejects.toThrow('account: experiment projects belong in a dev account; ml-prod is prod');
    await expect(action.handler(contextWith({ ...exampleInput(examples[0]), dataSource: { type: 'athena', account: 'nope', database: 'a', table: 'b' } }).ctx))
      .rejects.toThrow(/'nope' is not a configured ML account/);
    expect(env.sandbox.counters()).toEqual({});
  });
});
