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
} from '@aws-sdk/client-sagemaker';
import { clients, eventually, FRAUD_DEV, useSandbox } from '../../__testUtils__/clients';

const definition = JSON.stringify({
  Version: '2020-12-01',
  Steps: [
    { Name: 'Preprocess', Type: 'Processing' },
    { Name: 'Train', Type: 'Training' },
    { Name: 'Evaluate', Type: 'Processing' },
    { Name: 'Register', Type: 'RegisterModel', Arguments: { ModelPackageGroupName: 'fraud-detection' } },
  ],
});

describe('SageMaker pipelines', () => {
  const sandbox = useSandbox();

  it('runs processing, training, evaluation and register, leaving a package, its artifact and lineage', async () => {
    const { sagemaker, s3 } = clients(sandbox.current, FRAUD_DEV);
    await sagemaker.send(new CreatePipelineCommand({
      PipelineName: 'fraud-train', PipelineDefinition: definition, RoleArn: `arn:aws:iam::${FRAUD_DEV}:role/sagemaker-exec`,
    }));
    expect((await sagemaker.send(new DescribePipelineCommand({ PipelineName: 'fraud-train' }))).PipelineStatus).toBe('Active');
    const { PipelineExecutionArn } = await sagemaker.send(new StartPipelineExecutionCommand({
      PipelineName: 'fraud-train',
      PipelineParameters: [{ Name: 'InputDataUrl', Value: 's3://fraud-data/transactions/2026-11/' }],
    }));
    expect((await sagemaker.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn }))).PipelineExecutionStatus).toBe('Executing');
    await eventually(async () =>
      (await sagemaker.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn }))).PipelineExecutionStatus === 'Succeeded');

    const { PipelineExecutionSteps } = await sagemaker.send(new ListPipelineExecutionStepsCommand({ PipelineExecutionArn }));
    expect(PipelineExecutionSteps?.map(s => [s.StepName, s.StepStatus])).toEqual([
      ['Register', 'Succeeded'], ['Evaluate', 'Succeeded'], ['Train', 'Succeeded'], ['Preprocess', 'Succeeded'],
    ]);
    const packageArn = PipelineExecutionSteps?.[0].Metadata?.RegisterModel?.Arn;
    expect(packageArn).toMatch(/model-package\/fraud-detection\/5$/);

    const modelPackage = await sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: packageArn }));
    expect(modelPackage.ModelApprovalStatus).toBe('PendingManualApproval');
    expect(Number(modelPackage.CustomerMetadataProperties?.accuracy)).toBeGreaterThan(0.8);
    const artifact = modelPackage.InferenceSpecification!.Containers![0].ModelDataUrl!;
    const [bucket, ...key] = artifact.replace('s3://', '').split('/');
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key.join('/') }));
    expect(await object.Body?.transformToString()).toContain(PipelineExecutionArn);

    const produced = await sagemaker.send(new ListAssociationsCommand({ DestinationArn: packageArn }));
    expect(produced.AssociationSummaries?.[0]).toMatchObject({ SourceArn: PipelineExecutionArn, AssociationType: 'Produced' });
    const data = await sagemaker.send(new ListAssociationsCommand({ DestinationArn: PipelineExecutionArn }));
    expect(data.AssociationSummaries?.[0].SourceArn).toBe('s3://fraud-data/transactions/2026-11/');
    const runs = await sagemaker.send(new ListPipelineExecutionsCommand({ PipelineName: 'fraud-train' }));
    expect(runs.PipelineExecutionSummaries).toHaveLength(1);
  });

  it('refuses a definition without steps, naming it', async () => {
    const error = await clients(sandbox.current, FRAUD_DEV).sagemaker.send(new CreatePipelineCommand({
      PipelineName: 'empty', PipelineDefinition: '{"Steps":[]}', RoleArn: `arn:aws:iam::${FRAUD_DEV}:role/x`,
    })).catch(e => e);
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain('at least one step in Steps');
  });
});
