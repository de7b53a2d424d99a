import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BatchGetBuildsCommand } from '@aws-sdk/client-codebuild';
import {
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  PutApprovalResultCommand,
  RetryStageExecutionCommand,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import {
  CreateDomainCommand,
  DescribeDomainCommand,
  DescribeEndpointCommand,
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { DescribeRecordCommand } from '@aws-sdk/client-service-catalog';
import { Sandbox, startSandbox } from './sandbox';
import { SandboxState } from './state';
import {
  clients,
  eventually,
  FRAUD_DEV,
  PROD,
  SHARED,
} from './__testUtils__/clients';
import {
  centralGroup,
  createDeployPipeline,
  deployValues,
} from './__testUtils__/deployPipeline';
import { startFraudTraining } from './__testUtils__/trainingPipeline';
import { vendAccount } from './__testUtils__/vendAccount';

const BUILD_TIMEOUT_MS = 60_000;

/**
 * A sandbox stopped with work in flight and started again from its state
 * file fails as AWS fails: every execution ends (Succeeded, or Failed with
 * the reason) or still waits for its approver; none stays in progress.
 */
describe('a sandbox restarted from its state file', () => {
  let dir: string;
  const running = new Set<Sandbox>();
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-sandbox-restart-'));
  });
  afterEach(async () => {
    await Promise.all([...running].map(s => s.close()));
    running.clear();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const stateFile = () => path.join(dir, 'state.json');
  async function start(stepMs = 20) {
    const sandbox = await startSandbox({
      port: 0,
      stepMs,
      stateFile: stateFile(),
    });
    running.add(sandbox);
    return sandbox;
  }
  async function stop(sandbox: Sandbox) {
    running.delete(sandbox);
    await sandbox.close();
  }

  const pipelineState = (sandbox: Sandbox) =>
    clients(sandbox, SHARED).codepipeline.send(
      new GetPipelineStateCommand({ name: 'restart-deploy' }),
    );
  const action = async (sandbox: Sandbox, stageName: string) =>
    (await pipelineState(sandbox)).stageStates?.find(
      s => s.stageName === stageName,
    )?.actionStates?.[0].latestExecution;
  const execution = async (sandbox: Sandbox, pipelineExecutionId: string) =>
    (
      await clients(sandbox, SHARED).codepipeline.send(
        new GetPipelineExecutionCommand({
          pipelineName: 'restart-deploy',
          pipelineExecutionId,
        }),
      )
    ).pipelineExecution!;
  const ended = (sandbox: Sandbox, id: string) =>
    eventually(
      async () =>
        (await execution(sandbox, id)).status === 'InProgress'
          ? undefined
          : execution(sandbox, id),
      BUILD_TIMEOUT_MS,
    );

  it(
    'fails a build cut off by the stop with its action; the retried stage reaches the approval, which waits across a restart; a deploy cut off completes',
    async () => {
      const first = await start();
      const packageArn = await centralGroup(first, 'restart-model');
      await clients(first, SHARED).sagemaker.send(
        new UpdateModelPackageCommand({
          ModelPackageArn: packageArn,
          ModelApprovalStatus: 'Approved',
        }),
      );
      await createDeployPipeline(
        first,
        deployValues('restart', 'restart-model'),
      );
      const { pipelineExecutionId } = await clients(
        first,
        SHARED,
      ).codepipeline.send(
        new StartPipelineExecutionCommand({ name: 'restart-deploy' }),
      );
      const id = pipelineExecutionId!;
      const buildId = await eventually(async () => {
        const build = await action(first, 'Build');
        if (build?.status !== 'InProgress' || !build.externalExecutionId)
          return undefined;
        const { builds } = await clients(first, SHARED).codebuild.send(
          new BatchGetBuildsCommand({ ids: [build.externalExecutionId] }),
        );
        return builds?.[0].buildStatus === 'IN_PROGRESS'
          ? build.externalExecutionId
          : undefined;
      }, BUILD_TIMEOUT_MS);
      await stop(first);

      // The build's container died with the sandbox: the build faulted, and its action failed the execution with its error.
      const second = await start();
      const failed = await ended(second, id);
      const failure =
        /^Build terminated with state: FAULT\. Phase: [A-Z_]+, Code: FAULT, Message: Build container found dead before completing the build/;
      expect(failed).toMatchObject({
        status: 'Failed',
        statusSummary: expect.stringMatching(failure),
      });
      expect(await action(second, 'Build')).toMatchObject({
        status: 'Failed',
        errorDetails: {
          code: 'JobFailed',
          message: expect.stringMatching(failure),
        },
      });
      const { builds: [build] = [] } = await clients(
        second,
        SHARED,
      ).codebuild.send(new BatchGetBuildsCommand({ ids: [buildId] }));
      expect(build).toMatchObject({
        buildStatus: 'FAULT',
        buildComplete: true,
        currentPhase: 'COMPLETED',
      });
      expect(
        build.phases?.find(p => p.phaseStatus === 'FAULT')?.contexts,
      ).toEqual([
        {
          statusCode: 'FAULT',
          message: expect.stringContaining('Build container found dead'),
        },
      ]);

      // The approver retries the failed stage; the execution goes on to the manual approval.
      await clients(second, SHARED).codepipeline.send(
        new RetryStageExecutionCommand({
          pipelineName: 'restart-deploy',
          stageName: 'Build',
          pipelineExecutionId: id,
          retryMode: 'FAILED_ACTIONS',
        }),
      );
      const token = await eventually(async () => {
        const approval = await action(second, 'GovernanceApproval');
        return approval?.status === 'InProgress' ? approval.token : undefined;
      }, BUILD_TIMEOUT_MS);
      await stop(second);

      // The approval still waits after a restart, with the same token; slow steps leave the deploy to prod in flight at the next stop.
      const third = await start(60_000);
      expect((await execution(third, id)).status).toBe('InProgress');
      expect(await action(third, 'GovernanceApproval')).toMatchObject({
        status: 'InProgress',
        token,
      });
      await clients(third, SHARED).codepipeline.send(
        new PutApprovalResultCommand({
          pipelineName: 'restart-deploy',
          stageName: 'GovernanceApproval',
          actionName: 'GovernanceApproval',
          token,
          result: {
            status: 'Approved',
            summary: 'Reviewed by grace.governance',
          },
        }),
      );
      expect(await action(third, 'DeployProd')).toMatchObject({
        status: 'InProgress',
      });
      await stop(third);
      const saved: SandboxState = JSON.parse(
        fs.readFileSync(stateFile(), 'utf8'),
      );
      const deploy = Object.entries(saved.scheduled ?? {}).find(
        ([, step]) =>
          step.task === 'codepipeline:action' && step.args.execution === id,
      );
      expect(deploy).toBeDefined();
      // As a kill while CloudFormation deployed leaves it: the action in progress, its step no longer scheduled.
      delete saved.scheduled![deploy![0]];
      fs.writeFileSync(stateFile(), JSON.stringify(saved));

      const fourth = await start();
      expect(await ended(fourth, id)).toMatchObject({ status: 'Succeeded' });
      const prod = await clients(fourth, PROD).sagemaker.send(
        new DescribeEndpointCommand({ EndpointName: 'restart-model-prod' }),
      );
      expect(prod.EndpointStatus).toBe('InService');
    },
    4 * BUILD_TIMEOUT_MS,
  );

  it(
    'continues a SageMaker pipeline execution stopped mid-step to its end',
    async () => {
      // Seeded with fast steps, then started again with slow ones, so the stop lands mid-step; the step stays due when it was.
      await stop(await start());
      const first = await start(1000);
      const dev = clients(first, FRAUD_DEV);
      const PipelineExecutionArn = await startFraudTraining(
        dev,
        'restart-experiment',
      );
      const { PipelineExecutionSteps: before } = await dev.sagemaker.send(
        new ListPipelineExecutionStepsCommand({ PipelineExecutionArn }),
      );
      expect(before?.map(s => [s.StepName, s.StepStatus])).toEqual([
        ['Preprocess', 'Executing'],
      ]);
      await stop(first);

      const second = await start();
      const sagemaker = clients(second, FRAUD_DEV).sagemaker;
      await eventually(
        async () =>
          (
            await sagemaker.send(
              new DescribePipelineExecutionCommand({ PipelineExecutionArn }),
            )
          ).PipelineExecutionStatus === 'Succeeded',
      );
      const { PipelineExecutionSteps: after } = await sagemaker.send(
        new ListPipelineExecutionStepsCommand({ PipelineExecutionArn }),
      );
      expect(after?.every(s => s.StepStatus === 'Succeeded')).toBe(true);
      expect(after?.[0].Metadata?.RegisterModel?.Arn).toMatch(
        /model-package\/fraud-detection\/\d+$/,
      );
    },
    BUILD_TIMEOUT_MS,
  );

  it('brings a domain in creation to InService and completes a provisioning in flight', async () => {
    await stop(await start());
    const first = await start(1000);
    const { DomainId } = await clients(first, FRAUD_DEV).sagemaker.send(
      new CreateDomainCommand({
        DomainName: 'restart-studio',
        AuthMode: 'IAM',
        VpcId: 'vpc-0abc',
        SubnetIds: ['subnet-1'],
        DefaultUserSettings: {
          ExecutionRole: `arn:aws:iam::${FRAUD_DEV}:role/sagemaker-exec`,
        },
      }),
    );
    const { RecordDetail } = await clients(first, SHARED).servicecatalog.send(
      vendAccount('restart-vended', 'restart@example.com', 'restart-1'),
    );
    expect(RecordDetail?.Status).toBe('IN_PROGRESS');
    await stop(first);

    const second = await start();
    expect(
      (
        await clients(second, FRAUD_DEV).sagemaker.send(
          new DescribeDomainCommand({ DomainId }),
        )
      ).Status,
    ).toBe('Pending');
    await eventually(
      async () =>
        (
          await clients(second, FRAUD_DEV).sagemaker.send(
            new DescribeDomainCommand({ DomainId }),
          )
        ).Status === 'InService',
    );
    await eventually(
      async () =>
        (
          await clients(second, SHARED).servicecatalog.send(
            new DescribeRecordCommand({ Id: RecordDetail!.RecordId }),
          )
        ).RecordDetail?.Status === 'SUCCEEDED',
    );
  });
});
