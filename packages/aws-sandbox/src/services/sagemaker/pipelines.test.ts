import { GetObjectCommand } from '@aws-sdk/client-s3';
import {
  CreatePipelineCommand,
  DescribeModelPackageCommand,
  DescribePipelineCommand,
  DescribePipelineExecutionCommand,
  ListAssociationsCommand,
  ListPipelineExecutionsCommand,
  ListPipelineExecutionStepsCommand,
  StartPipelineExecutionCommand,
  UpdatePipelineCommand,
} from '@aws-sdk/client-sagemaker';
import {
  clients,
  eventually,
  FRAUD_DEV,
  useSandbox,
} from '../../__testUtils__/clients';
import { trainingPipeline } from '../../__testUtils__/trainingPipeline';

const BUCKET = `sagemaker-us-east-1-${FRAUD_DEV}`;
const ROLE = `arn:aws:iam::${FRAUD_DEV}:role/sagemaker-exec`;
// The default scenario's training data of the fraud team.
const DATA = `s3://${BUCKET}/datasets/fraud-detection/`;

describe('SageMaker pipelines', () => {
  const sandbox = useSandbox();
  const dev = () => clients(sandbox.current, FRAUD_DEV);
  const text = async (uri: string) => {
    const [bucket, ...key] = uri.replace('s3://', '').split('/');
    return (
      await dev().s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: key.join('/') }),
      )
    ).Body!.transformToString();
  };
  const run = async (name: string, definition: object) => {
    const { sagemaker } = dev();
    await sagemaker.send(
      new CreatePipelineCommand({
        PipelineName: name,
        PipelineDefinition: JSON.stringify(definition),
        RoleArn: ROLE,
      }),
    );
    const { PipelineExecutionArn } = await sagemaker.send(
      new StartPipelineExecutionCommand({
        PipelineName: name,
        PipelineParameters: [{ Name: 'InputDataUrl', Value: DATA }],
      }),
    );
    const done = await eventually(async () => {
      const execution = await sagemaker.send(
        new DescribePipelineExecutionCommand({ PipelineExecutionArn }),
      );
      return execution.PipelineExecutionStatus === 'Executing'
        ? undefined
        : execution;
    });
    const { PipelineExecutionSteps } = await sagemaker.send(
      new ListPipelineExecutionStepsCommand({ PipelineExecutionArn }),
    );
    return { execution: done, steps: PipelineExecutionSteps! };
  };

  it('runs processing, training, evaluation and register, wiring each step to what the earlier ones wrote, leaving a package, its artifact and lineage', async () => {
    const { sagemaker, s3 } = dev();
    const pipeline = trainingPipeline(BUCKET, 'fraud-detection');
    await pipeline.uploadCode(s3);
    const { execution, steps } = await run('fraud-train', pipeline.definition);
    expect([
      execution.PipelineExecutionStatus,
      execution.FailureReason,
    ]).toEqual(['Succeeded', undefined]);
    expect(
      (
        await sagemaker.send(
          new DescribePipelineCommand({ PipelineName: 'fraud-train' }),
        )
      ).PipelineStatus,
    ).toBe('Active');
    expect(steps.map(s => [s.StepName, s.StepStatus])).toEqual([
      ['Register', 'Succeeded'],
      ['Evaluate', 'Succeeded'],
      ['Train', 'Succeeded'],
      ['Preprocess', 'Succeeded'],
    ]);
    const executionId = execution.PipelineExecutionArn!.split('/').pop();
    const trainingJob = `pipelines-${executionId}-Train`;
    expect(steps[2].Metadata?.TrainingJob?.Arn).toContain(
      `training-job/${trainingJob.toLowerCase()}`,
    );
    const packageArn = steps[0].Metadata?.RegisterModel?.Arn;
    expect(packageArn).toMatch(/model-package\/fraud-detection\/5$/);

    const modelPackage = await sagemaker.send(
      new DescribeModelPackageCommand({ ModelPackageName: packageArn }),
    );
    expect(modelPackage.ModelApprovalStatus).toBe('PendingManualApproval');
    expect(
      Number(modelPackage.CustomerMetadataProperties?.accuracy),
    ).toBeGreaterThan(0.8);
    expect(modelPackage.CustomerMetadataProperties?.['training-data']).toBe(
      DATA,
    );
    // The artifact the training job wrote, and the report the evaluation wrote, by property reference.
    const artifact =
      modelPackage.InferenceSpecification!.Containers![0].ModelDataUrl!;
    expect(artifact).toBe(
      `s3://${BUCKET}/runs/${executionId}/model/${trainingJob}/output/model.tar.gz`,
    );
    expect(await text(artifact)).toContain(execution.PipelineExecutionArn);
    const report = modelPackage.ModelMetrics!.ModelQuality!.Statistics!.S3Uri!;
    expect(report).toBe(
      `s3://${BUCKET}/runs/${executionId}/evaluation/evaluation.json`,
    );
    expect(
      JSON.parse(await text(report)).binary_classification_metrics.accuracy
        .value,
    ).toBe(Number(modelPackage.CustomerMetadataProperties?.accuracy));
    expect(
      JSON.parse(await text(modelPackage.ModelMetrics!.Bias!.Report!.S3Uri!)),
    ).toHaveProperty('class_imbalance');

    // Lineage as SageMaker records it: data -> Preprocess -> split -> Train -> model data -> model package.
    const { AssociationSummaries = [] } = await sagemaker.send(
      new ListAssociationsCommand({}),
    );
    const upstream = (name: string) =>
      AssociationSummaries.filter(a => a.DestinationName === name).map(
        a => a.SourceName,
      );
    expect(upstream(packageArn!)).toEqual([artifact]);
    expect(upstream(artifact)).toEqual([trainingJob]);
    const [split] = upstream(trainingJob);
    expect(split).toBe(`s3://${BUCKET}/runs/${executionId}/train`);
    expect(upstream(split!)).toEqual([`pipelines-${executionId}-Preprocess`]);
    expect(upstream(`pipelines-${executionId}-Preprocess`)).toEqual([
      DATA,
      `s3://${BUCKET}/code/preprocess.py`,
    ]);
    const produced = AssociationSummaries.find(
      a => a.DestinationName === packageArn,
    )!;
    expect(produced).toMatchObject({
      AssociationType: 'ContributedTo',
      SourceType: 'Model',
      DestinationType: 'ModelPackage',
    });
    expect(produced.DestinationArn).toMatch(
      /^arn:aws:sagemaker:us-east-1:222222222222:artifact\/[0-9a-f]{32}$/,
    );
    const runs = await sagemaker.send(
      new ListPipelineExecutionsCommand({ PipelineName: 'fraud-train' }),
    );
    expect(runs.PipelineExecutionSummaries).toHaveLength(1);
  });

  it('fails the execution at a processing step whose script no input provides, as the container would', async () => {
    const { definition } = trainingPipeline('no-code-here', 'fraud-detection');
    const { execution, steps } = await run('fraud-no-code', definition);
    expect(execution.PipelineExecutionStatus).toBe('Failed');
    expect(steps.map(s => [s.StepName, s.StepStatus])).toEqual([
      ['Preprocess', 'Failed'],
    ]);
    expect(execution.FailureReason).toBe(
      "Step Preprocess failed: AlgorithmError: python3: can't open file '/opt/ml/processing/input/code/preprocess.py': [Errno 2] No such file or directory",
    );
  });

  describe('refuses a malformed definition on CreatePipeline and UpdatePipeline, naming what is wrong', () => {
    const { definition } = trainingPipeline(BUCKET, 'fraud-detection');
    const [preprocess, train, evaluate, register] = definition.Steps as any[];
    const withSteps = (...steps: object[]) => ({ ...definition, Steps: steps });
    const withRegister = (args: object) =>
      withSteps(preprocess, train, evaluate, {
        ...register,
        Arguments: { ...register.Arguments, ...args },
      });

    it.each<[string, unknown, string]>([
      ['not JSON', '{"Version":', 'It is not JSON'],
      [
        'no version',
        { ...definition, Version: undefined },
        'Version must be "2020-12-01".',
      ],
      [
        'no steps',
        { ...definition, Steps: [] },
        'Steps must list at least one step.',
      ],
      [
        'an undocumented step type',
        withSteps({ ...preprocess, Type: 'Deploy' }),
        'Step Preprocess: Type Deploy is not one of',
      ],
      [
        'a step name used twice',
        withSteps(preprocess, { ...train, Name: 'Preprocess' }),
        'Step name Preprocess is used twice.',
      ],
      [
        'a parameter without a type',
        { ...definition, Parameters: [{ Name: 'InputDataUrl' }] },
        'Parameter InputDataUrl: Type must be one of String, Integer, Float, Boolean.',
      ],
      [
        'an undeclared parameter',
        withRegister({ ModelApprovalStatus: { Get: 'Parameters.Approval' } }),
        'Step Register: Parameters.Approval names no declared parameter.',
      ],
      [
        'a reference to a missing step',
        withRegister({
          ModelPackageDescription: {
            Get: 'Steps.Tune.BestTrainingJob.TrainingJobName',
          },
        }),
        'Step Register: Steps.Tune.BestTrainingJob.TrainingJobName names no step of the pipeline.',
      ],
      [
        'a property the step type does not have',
        withRegister({
          ModelPackageDescription: { Get: 'Steps.Train.ModelArtifacts.S3Uri' },
        }),
        'Step Register: Steps.Train.ModelArtifacts.S3Uri: a Training step has no property ModelArtifacts.S3Uri.',
      ],
      [
        'an output the processing step does not declare',
        withRegister({
          ModelPackageDescription: {
            Get: "Steps.Evaluate.ProcessingOutputConfig.Outputs['metrics'].S3Output.S3Uri",
          },
        }),
        'step Evaluate has no output named metrics.',
      ],
      [
        'DependsOn a missing step',
        withSteps(preprocess, { ...train, DependsOn: ['Prepare'] }),
        'Step Train: DependsOn names Prepare, which is no other step of the pipeline.',
      ],
      [
        'a cycle',
        withSteps(
          { ...preprocess, DependsOn: ['Train'] },
          train,
          evaluate,
          register,
        ),
        'Steps depend on each other in a cycle: Preprocess -> Train -> Preprocess.',
      ],
      [
        'RegisterModel without a group',
        withRegister({ ModelPackageGroupName: undefined }),
        'Step Register: a RegisterModel step needs the arguments ModelPackageGroupName.',
      ],
      [
        'RegisterModel without containers',
        withRegister({ InferenceSpecification: { Containers: [] } }),
        'InferenceSpecification.Containers must list at least one container, each with an Image.',
      ],
      [
        'Training without its output location',
        withSteps(preprocess, {
          ...train,
          Arguments: { ...train.Arguments, OutputDataConfig: undefined },
        }),
        'Step Train: a Training step needs the arguments OutputDataConfig.',
      ],
    ])('%s', async (_what, bad, message) => {
      const { sagemaker } = dev();
      const body = typeof bad === 'string' ? bad : JSON.stringify(bad);
      const created = await sagemaker
        .send(
          new CreatePipelineCommand({
            PipelineName: 'malformed',
            PipelineDefinition: body,
            RoleArn: ROLE,
          }),
        )
        .catch(e => e);
      expect(created.name).toBe('ValidationException');
      expect(created.message).toMatch(
        /^Unable to parse pipeline definition\. /,
      );
      expect(created.message).toContain(message);
      const updated = await sagemaker
        .send(
          new UpdatePipelineCommand({
            PipelineName: 'fraud-train',
            PipelineDefinition: body,
          }),
        )
        .catch(e => e);
      expect(updated.message).toBe(created.message);
    });
  });

  it('refuses an execution parameter the pipeline does not declare', async () => {
    const error = await dev()
      .sagemaker.send(
        new StartPipelineExecutionCommand({
          PipelineName: 'fraud-train',
          PipelineParameters: [{ Name: 'InputDataUri', Value: 's3://x/' }],
        }),
      )
      .catch(e => e);
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(
      'Pipeline fraud-train declares no parameter InputDataUri',
    );
  });
});
