import {
  CreatePipelineCommand,
  DuplicatedStopRequestException,
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
  ListPipelinesCommand,
  NotLatestPipelineExecutionException,
  PipelineDeclaration,
  PipelineExecutionNotStoppableException,
  PutApprovalResultCommand,
  RetryStageExecutionCommand,
  StageNotFoundException,
  StageNotRetryableException,
  StartPipelineExecutionCommand,
  StopPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  clients,
  eventually,
  SHARED,
  useSandbox,
} from '../__testUtils__/clients';
import { approvalPipeline } from '../__testUtils__/approvalPipeline';

/**
 * StopPipelineExecution and RetryStageExecution as CodePipeline documents
 * them (https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-stop.html,
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-actions-retry.html),
 * on a pipeline of an S3 source and a manual approval.
 */
describe('CodePipeline stop and retry', () => {
  const sandbox = useSandbox();
  const codepipeline = () => clients(sandbox.current, SHARED).codepipeline;
  let seeded: PipelineDeclaration;

  beforeAll(async () => {
    const { pipelines } = await codepipeline().send(
      new ListPipelinesCommand({}),
    );
    seeded = (
      await codepipeline().send(
        new GetPipelineCommand({ name: pipelines![0].name }),
      )
    ).pipeline!;
  });

  const putSource = (name: string) =>
    clients(sandbox.current, SHARED).s3.send(
      new PutObjectCommand({
        Bucket: seeded.artifactStore!.location,
        Key: `${name}/source.zip`,
        Body: 'PK',
      }),
    );

  /** A pipeline `name` whose source is `<name>/source.zip`, uploaded unless `withoutSource`. */
  async function pipeline(name: string, { withoutSource = false } = {}) {
    if (!withoutSource) await putSource(name);
    await codepipeline().send(
      new CreatePipelineCommand({ pipeline: approvalPipeline(name, seeded) }),
    );
  }

  const start = async (name: string) =>
    (await codepipeline().send(new StartPipelineExecutionCommand({ name })))
      .pipelineExecutionId!;

  const execution = async (pipelineName: string, pipelineExecutionId: string) =>
    (
      await codepipeline().send(
        new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId }),
      )
    ).pipelineExecution!;

  const ended = (name: string, id: string, status: string) =>
    eventually(async () =>
      (await execution(name, id)).status === status
        ? execution(name, id)
        : undefined,
    );

  /** The approval's action state once the execution `id` waits there. */
  const waiting = (name: string, id: string) =>
    eventually(async () => {
      const approve = (
        await codepipeline().send(new GetPipelineStateCommand({ name }))
      ).stageStates![1];
      const latest = approve.actionStates![0].latestExecution;
      return approve.latestExecution?.pipelineExecutionId === id &&
        latest?.status === 'InProgress'
        ? latest
        : undefined;
    });

  const approvalState = async (name: string) =>
    (await codepipeline().send(new GetPipelineStateCommand({ name })))
      .stageStates![1];

  it('stops and abandons an execution waiting at its approval, which a FAILED_ACTIONS retry then waits at again', async () => {
    await pipeline('stop-abandon');
    const id = await start('stop-abandon');
    const { token } = await waiting('stop-abandon', id);
    await codepipeline().send(
      new StopPipelineExecutionCommand({
        pipelineName: 'stop-abandon',
        pipelineExecutionId: id,
        abandon: true,
        reason: 'Wrong version',
      }),
    );
    expect(await ended('stop-abandon', id, 'Stopped')).toMatchObject({
      status: 'Stopped',
      statusSummary: 'Wrong version',
    });
    const stage = await approvalState('stop-abandon');
    expect(stage.latestExecution?.status).toBe('Stopped');
    expect(stage.actionStates![0].latestExecution?.status).toBe('Abandoned');
    const { pipelineExecutionSummaries } = await codepipeline().send(
      new ListPipelineExecutionsCommand({ pipelineName: 'stop-abandon' }),
    );
    expect(pipelineExecutionSummaries![0]).toMatchObject({
      status: 'Stopped',
      stopTrigger: { reason: 'Wrong version' },
    });
    // The abandoned approval's token no longer approves anything.
    await expect(
      codepipeline().send(
        new PutApprovalResultCommand({
          pipelineName: 'stop-abandon',
          stageName: 'Approve',
          actionName: 'Approve',
          token,
          result: { status: 'Approved', summary: 'late' },
        }),
      ),
    ).rejects.toThrow(/not valid/);
    await expect(
      codepipeline().send(
        new StopPipelineExecutionCommand({
          pipelineName: 'stop-abandon',
          pipelineExecutionId: id,
        }),
      ),
    ).rejects.toBeInstanceOf(PipelineExecutionNotStoppableException);

    await codepipeline().send(
      new RetryStageExecutionCommand({
        pipelineName: 'stop-abandon',
        stageName: 'Approve',
        pipelineExecutionId: id,
        retryMode: 'FAILED_ACTIONS',
      }),
    );
    const again = await waiting('stop-abandon', id);
    expect(again.token).not.toBe(token);
    expect((await execution('stop-abandon', id)).status).toBe('InProgress');
  });

  it('stops and waits: Stopping until the approval is answered, then Stopped without running further', async () => {
    await pipeline('stop-wait');
    const id = await start('stop-wait');
    const { token } = await waiting('stop-wait', id);
    await codepipeline().send(
      new StopPipelineExecutionCommand({
        pipelineName: 'stop-wait',
        pipelineExecutionId: id,
      }),
    );
    expect((await execution('stop-wait', id)).status).toBe('Stopping');
    await expect(
      codepipeline().send(
        new StopPipelineExecutionCommand({
          pipelineName: 'stop-wait',
          pipelineExecutionId: id,
        }),
      ),
    ).rejects.toBeInstanceOf(DuplicatedStopRequestException);
    await codepipeline().send(
      new PutApprovalResultCommand({
        pipelineName: 'stop-wait',
        stageName: 'Approve',
        actionName: 'Approve',
        token,
        result: { status: 'Approved', summary: 'ok' },
      }),
    );
    expect((await ended('stop-wait', id, 'Stopped')).status).toBe('Stopped');
    expect(
      (await approvalState('stop-wait')).actionStates![0].latestExecution
        ?.status,
    ).toBe('Succeeded');
  });

  it('retries a failed source once the object is there; refuses to retry what did not fail, an unknown stage, or an out-of-date execution', async () => {
    await pipeline('retry-source', { withoutSource: true });
    const id = await start('retry-source');
    expect((await ended('retry-source', id, 'Failed')).status).toBe('Failed');
    const retry = (
      stageName: string,
      pipelineExecutionId = id,
      retryMode: 'FAILED_ACTIONS' | 'ALL_ACTIONS' = 'FAILED_ACTIONS',
    ) =>
      codepipeline().send(
        new RetryStageExecutionCommand({
          pipelineName: 'retry-source',
          stageName,
          pipelineExecutionId,
          retryMode,
        }),
      );
    await expect(retry('Approve')).rejects.toBeInstanceOf(
      StageNotRetryableException,
    );
    await expect(retry('Nowhere')).rejects.toBeInstanceOf(
      StageNotFoundException,
    );

    await putSource('retry-source');
    expect(await retry('Source', id, 'ALL_ACTIONS')).toMatchObject({
      pipelineExecutionId: id,
    });
    const { token } = await waiting('retry-source', id);
    await expect(retry('Source')).rejects.toBeInstanceOf(
      StageNotRetryableException,
    );
    await codepipeline().send(
      new PutApprovalResultCommand({
        pipelineName: 'retry-source',
        stageName: 'Approve',
        actionName: 'Approve',
        token,
        result: { status: 'Rejected', summary: 'no' },
      }),
    );
    await ended('retry-source', id, 'Failed');
    // A later run that reached the stage makes this one out of date.
    const later = await start('retry-source');
    await waiting('retry-source', later);
    await expect(retry('Approve')).rejects.toBeInstanceOf(
      NotLatestPipelineExecutionException,
    );
    // The later run waits at the stage: nothing there has failed.
    await expect(retry('Approve', later)).rejects.toBeInstanceOf(
      StageNotRetryableException,
    );
  });
});
