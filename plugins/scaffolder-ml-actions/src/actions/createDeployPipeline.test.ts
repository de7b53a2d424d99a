import { CodePipelineClient, GetPipelineCommand, GetPipelineStateCommand, PutApprovalResultCommand, StartPipelineExecutionCommand } from '@aws-sdk/client-codepipeline';
import { CreateModelPackageCommand, CreateModelPackageGroupCommand, DescribeEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { contextWith, exampleInput, startActionSandbox, until } from '../__testUtils__/actionSandbox';
import { createDeployPipelineAction } from './createDeployPipeline';
import { examples } from './createDeployPipeline.examples';

const SHARED = '111111111111';

describe('codepipeline:deploy-pipeline:create', () => {
  let env: Awaited<ReturnType<typeof startActionSandbox>>;
  let action: ReturnType<typeof createDeployPipelineAction>;
  beforeAll(async () => {
    env = await startActionSandbox();
    action = createDeployPipelineAction({ config: env.config, clients: env.clients });
    // A new model whose first version the ML engineer approved in the central registry.
    const central = new SageMakerClient(env.as(SHARED));
    await central.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'credit-risk' }));
    await central.send(new CreateModelPackageCommand({
      ModelPackageGroupName: 'credit-risk', ModelApprovalStatus: 'Approved',
      InferenceSpecification: { Containers: [{ Image: 'xgboost', ModelDataUrl: 's3://ml-shared-artifacts-111111111111/credit-risk/v1/model.tar.gz' }], SupportedContentTypes: ['text/csv'], SupportedResponseMIMETypes: ['text/csv'] },
    }));
  });
  afterAll(() => env.close());

  it('runs its example: a pipeline that deploys the newest approved version to test, tests it, waits for governance, then deploys to prod', async () => {
    const input = exampleInput(examples[0]);
    const { ctx } = contextWith(input);
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('pipelineName', 'credit-risk-deploy');
    expect(ctx.output).toHaveBeenCalledWith('created', true);
    expect(ctx.output).toHaveBeenCalledWith('prodEndpointEntityRef', 'component:default/ml-prod--credit-risk-prod');

    const codepipeline = new CodePipelineClient(env.as(SHARED));
    const { pipeline } = await codepipeline.send(new GetPipelineCommand({ name: 'credit-risk-deploy' }));
    expect(pipeline!.stages!.map(s => s.name)).toEqual(['Source', 'DeployTest', 'IntegrationTest', 'GovernanceApproval', 'DeployProd']);
    expect(pipeline!.stages![1].actions![0].roleArn).toBe('arn:aws:iam::333333333333:role/ml-deploy');

    // It runs, deploying the approved version.
    await codepipeline.send(new StartPipelineExecutionCommand({ name: 'credit-risk-deploy' }));
    const token = await until('the governance approval', async () => {
      const state = await codepipeline.send(new GetPipelineStateCommand({ name: 'credit-risk-deploy' }));
      return state.stageStates?.find(s => s.stageName === 'GovernanceApproval')?.actionStates?.[0]?.latestExecution?.token;
    });
    await codepipeline.send(new PutApprovalResultCommand({
      pipelineName: 'credit-risk-deploy', stageName: 'GovernanceApproval', actionName: 'GovernanceApproval', token,
      result: { status: 'Approved', summary: 'reviewed' },
    }));
    const prod = new SageMakerClient(env.as('444444444444'));
    await until('the prod endpoint', async () =>
      (await prod.send(new DescribeEndpointCommand({ EndpointName: 'credit-risk-prod' })).catch(() => undefined))?.EndpointStatus === 'InService');

    const again = contextWith(input);
    await action.handler(again.ctx);
    expect(again.ctx.output).toHaveBeenCalledWith('created', false);
  });

  it('reports what it would create in a dry run, without calling AWS', async () => {
    env.sandbox.core.resetCounters();
    const { ctx, logged } = contextWith({ ...exampleInput(examples[0]), modelPackageGroupName: 'fraud-detection' }, { dryRun: true });
    await action.handler(ctx);
    expect(logged()[0]).toMatch(/^Would create fraud-detection-deploy in ml-shared-services: .*fraud-detection to ml-test, integration test, governance approval, ml-prod$/);
    expect(env.sandbox.counters()).toEqual({});
  });

  it('surfaces an AWS failure naming the pipeline and account', async () => {
    env.sandbox.setFaults([{ account: SHARED, operation: 'CreatePipeline', accessDenied: true }]);
    const { ctx } = contextWith({ ...exampleInput(examples[0]), modelPackageGroupName: 'fraud-detection', name: 'denied-deploy' });
    await expect(action.handler(ctx)).rejects.toThrow(/^Could not create deploy pipeline denied-deploy in ml-shared-services \(111111111111\): AccessDeniedException: /);
    env.sandbox.setFaults([]);
  });

  it('takes the central model by its ARN, as the deploy template passes it from the model entity', async () => {
    const { ctx, logged } = contextWith({
      modelPackageGroupArn: 'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/fraud-detection', testAccount: 'ml-test', prodAccount: 'ml-prod',
    }, { dryRun: true });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('pipelineName', 'fraud-detection-deploy');
    expect(logged()[0]).toMatch(/^Would create fraud-detection-deploy in ml-shared-services/);
    await expect(action.handler(contextWith({ modelPackageGroupArn: 'arn:aws:sagemaker:us-east-1:222222222222:model-package-group/x', testAccount: 'ml-test', prodAccount: 'ml-prod' }).ctx))
      .rejects.toThrow('modelPackageGroupArn: fraud-dev is a dev account, not shared-services');
  });

  it('rejects accounts of the wrong kind before any AWS call', async () => {
    env.sandbox.core.resetCounters();
    await expect(action.handler(contextWith({ ...exampleInput(examples[0]), testAccount: 'ml-prod' }).ctx))
      .rejects.toThrow('testAccount: ml-prod is a prod account, not test');
    await expect(action.handler(contextWith({ ...exampleInput(examples[0]), account: 'fraud-dev' }).ctx))
      .rejects.toThrow('account: fraud-dev is a dev account, not shared-services');
    expect(env.sandbox.counters()).toEqual({});
  });
});
