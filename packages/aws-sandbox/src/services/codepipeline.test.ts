import {
  CreatePipelineCommand,
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  InvalidApprovalTokenException,
  ListPipelineExecutionsCommand,
  ListPipelinesCommand,
  PipelineNotFoundException,
  PutApprovalResultCommand,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import { DescribeEndpointCommand } from '@aws-sdk/client-sagemaker';
import { GetQueueUrlCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { deployPipelineDefinition } from '../scenario';
import { clients, eventually, PROD, SHARED, TEST, TOOLING, useSandbox } from '../__testUtils__/clients';

async function approvalToken(codepipeline: ReturnType<typeof clients>['codepipeline'], name: string) {
  return eventually(async () => {
    const state = await codepipeline.send(new GetPipelineStateCommand({ name }));
    const stage = state.stageStates?.find(s => s.stageName === 'GovernanceApproval');
    return stage?.actionStates?.[0].latestExecution?.token;
  });
}

describe('CodePipeline', () => {
  const sandbox = useSandbox();
  const cp = () => clients(sandbox.current, SHARED).codepipeline;
  const packageArn = `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/fraud-detection/1`;

  it('deploys to test, tests, waits for the manual approval, then deploys to prod', async () => {
    await cp().send(new CreatePipelineCommand({
      pipeline: deployPipelineDefinition('fraud-deploy', SHARED, packageArn, 'fraud-v1', TEST, PROD) as any,
    }));
    expect((await cp().send(new GetPipelineCommand({ name: 'fraud-deploy' }))).pipeline?.stages).toHaveLength(5);
    expect((await cp().send(new ListPipelinesCommand({}))).pipelines?.map(p => p.name)).toContain('fraud-deploy');
    const { pipelineExecutionId } = await cp().send(new StartPipelineExecutionCommand({ name: 'fraud-deploy' }));

    const token = await approvalToken(cp(), 'fraud-deploy');
    const testEndpoint = await clients(sandbox.current, TEST).sagemaker.send(new DescribeEndpointCommand({ EndpointName: 'fraud-v1-test' }));
    expect(testEndpoint.EndpointStatus).toBe('InService');
    const prodBefore = await clients(sandbox.current, PROD).sagemaker.send(new DescribeEndpointCommand({ EndpointName: 'fraud-v1-prod' })).catch(e => e);
    expect(prodBefore.name).toBe('ValidationException');

    const wrong = await cp().send(new PutApprovalResultCommand({
      pipelineName: 'fraud-deploy', stageName: 'GovernanceApproval', actionName: 'GovernanceApproval',
      token: 'not-the-token', result: { status: 'Approved', summary: 'ok' },
    })).catch(e => e);
    expect(wrong).toBeInstanceOf(InvalidApprovalTokenException);

    await cp().send(new PutApprovalResultCommand({
      pipelineName: 'fraud-deploy', stageName: 'GovernanceApproval', actionName: 'GovernanceApproval',
      token, result: { status: 'Approved', summary: 'Model card, metrics and bias report reviewed by grace.governance' },
    }));
    await eventually(async () =>
      (await cp().send(new GetPipelineExecutionCommand({ pipelineName: 'fraud-deploy', pipelineExecutionId }))).pipelineExecution?.status === 'Succeeded');
    const prod = await clients(sandbox.current, PROD).sagemaker.send(new DescribeEndpointCommand({ EndpointName: 'fraud-v1-prod' }));
    expect(prod.EndpointStatus).toBe('InService');
    const runs = await cp().send(new ListPipelineExecutionsCommand({ pipelineName: 'fraud-deploy' }));
    expect(runs.pipelineExecutionSummaries?.[0]).toMatchObject({ pipelineExecutionId, status: 'Succeeded' });
  });

  it('stops at a rejection, visibly', async () => {
    await cp().send(new CreatePipelineCommand({
      pipeline: deployPipelineDefinition('fraud-reject', SHARED, packageArn, 'fraud-r', TEST, PROD) as any,
    }));
    const { pipelineExecutionId } = await cp().send(new StartPipelineExecutionCommand({ name: 'fraud-reject' }));
    const token = await approvalToken(cp(), 'fraud-reject');
    await cp().send(new PutApprovalResultCommand({
      pipelineName: 'fraud-reject', stageName: 'GovernanceApproval', actionName: 'GovernanceApproval',
      token, result: { status: 'Rejected', summary: 'Bias report missing' },
    }));
    const run = await cp().send(new GetPipelineExecutionCommand({ pipelineName: 'fraud-reject', pipelineExecutionId }));
    expect(run.pipelineExecution).toMatchObject({ status: 'Failed', statusSummary: 'Rejected: Bias report missing' });
  });

  it('refuses to deploy a package that is not Approved', async () => {
    const pending = `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/fraud-detection/2`;
    await cp().send(new CreatePipelineCommand({ pipeline: deployPipelineDefinition('fraud-v2', SHARED, pending, 'fraud-v2', TEST, PROD) as any }));
    const { pipelineExecutionId } = await cp().send(new StartPipelineExecutionCommand({ name: 'fraud-v2' }));
    const run = await eventually(async () => {
      const r = await cp().send(new GetPipelineExecutionCommand({ pipelineName: 'fraud-v2', pipelineExecutionId }));
      return r.pipelineExecution?.status === 'Failed' ? r : undefined;
    });
    expect(run.pipelineExecution?.statusSummary).toContain('is PendingManualApproval, not Approved');
  });

  it('names a missing pipeline and a bad structure', async () => {
    const missing = await cp().send(new GetPipelineCommand({ name: 'absent' })).catch(e => e);
    expect(missing).toBeInstanceOf(PipelineNotFoundException);
    const bad = await cp().send(new CreatePipelineCommand({ pipeline: { name: 'one-stage', roleArn: `arn:aws:iam::${SHARED}:role/x`, stages: [] } as any })).catch(e => e);
    expect(bad.name).toBe('InvalidStructureException');
  });

  it('runs the seeded churn deploy pipeline to the governance gate, telling the Backstage queue', async () => {
    expect(await approvalToken(cp(), 'churn-prediction-deploy')).toEqual(expect.any(String));
    const { sqs } = clients(sandbox.current, TOOLING);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'ml-registry-events' }));
    const events: any[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }));
      if (Messages.length === 0) break;
      events.push(...Messages.map(m => JSON.parse(m.Body!)));
    }
    expect(events).toContainEqual(expect.objectContaining({
      source: 'aws.codepipeline',
      'detail-type': 'CodePipeline Action Execution State Change',
      account: SHARED,
      detail: expect.objectContaining({
        pipeline: 'churn-prediction-deploy', stage: 'GovernanceApproval', action: 'GovernanceApproval', state: 'STARTED',
        type: expect.objectContaining({ category: 'Approval', provider: 'Manual' }),
      }),
    }));
    expect(events).toContainEqual(expect.objectContaining({
      'detail-type': 'CodePipeline Stage Execution State Change',
      detail: expect.objectContaining({ stage: 'IntegrationTest', state: 'SUCCEEDED' }),
    }));
  });
});
