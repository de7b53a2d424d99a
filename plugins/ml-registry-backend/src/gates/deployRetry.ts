import { ConflictError } from '@backstage/errors';
import {
  CodePipelineClient,
  RetryStageExecutionCommand,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import { DeployRetry } from '@ml-governance/plugin-ml-registry-common';
import { AwsClientFactory } from '@ml-governance/plugin-ml-registry-node';
import { AuditLog } from '../database/AuditLog';
import { ModelVersionRecord } from '../database/VersionStore';
import { DeployRun, deployTrouble } from './deployStatus';
import { DeployWatchPolicy } from './readDeployWatch';

/**
 * CodePipeline's refusals of a retry that the pipeline's state explains (a stage
 * no longer failed, a later execution, a changed pipeline): 409, naming them
 * (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_RetryStageExecution.html#API_RetryStageExecution_Errors,
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_StartPipelineExecution.html#API_StartPipelineExecution_Errors).
 */
const REFUSALS = new Set([
  'StageNotRetryableException',
  'NotLatestPipelineExecutionException',
  'StageNotFoundException',
  'ConflictException',
  'PipelineNotFoundException',
  'PipelineExecutionNotFoundException',
  'ConcurrentPipelineExecutionsLimitExceededException',
]);

/**
 * Retries a deployment that failed, stalled or never started, as `actor` (whose
 * permission the caller checked): the failed stage's failed actions, or the
 * whole pipeline again. Audited either way; AWS's refusal is a 409 naming it.
 */
export async function retryDeploy(
  deps: {
    clients: AwsClientFactory;
    audit: AuditLog;
    watch: DeployWatchPolicy;
    region: string;
  },
  request: {
    actor: string;
    central: ModelVersionRecord;
    run: DeployRun | undefined;
    retry: DeployRetry;
  },
): Promise<void> {
  const { actor, central, run, retry } = request;
  const now = new Date();
  const troubled =
    run &&
    (['test', 'prod'] as const)
      .map(side => ({
        side,
        trouble: deployTrouble(run, side, {
          watch: deps.watch,
          region: deps.region,
          now,
        }),
      }))
      .find(t => t.trouble);
  if (!run || !troubled?.trouble?.deploy) {
    throw new ConflictError(
      `Only a failed, stalled or not started deployment can be retried; the ${
        run?.pipelineName ?? 'deploy'
      } pipeline's deployment of ${central.arn} is none of these`,
    );
  }
  const { side, trouble } = troubled;
  const deploy = trouble.deploy!;
  if (!deploy.retries.includes(retry)) {
    throw new ConflictError(
      `retry: a ${trouble.state} deployment can retry ${deploy.retries.join(
        ' or ',
      )}, not ${retry}`,
    );
  }
  const gate = `${side}-deploy`;
  const target =
    retry === 'failed-actions'
      ? { stageName: deploy.stageName!, pipelineExecutionId: run.executionId! }
      : {};
  const detail = { retry, pipelineName: run.pipelineName, ...target };
  const codepipeline = await deps.clients.create(
    CodePipelineClient,
    central.accountId,
  );
  try {
    const { pipelineExecutionId } =
      retry === 'failed-actions'
        ? await codepipeline.send(
            new RetryStageExecutionCommand({
              pipelineName: run.pipelineName,
              stageName: deploy.stageName!,
              pipelineExecutionId: run.executionId!,
              retryMode: 'FAILED_ACTIONS',
            }),
          )
        : await codepipeline.send(
            new StartPipelineExecutionCommand({ name: run.pipelineName }),
          );
    await deps.audit.append({
      actor,
      action: 'retry',
      gate,
      arn: central.arn,
      result: 'ok',
      detail: { ...detail, pipelineExecutionId },
    });
  } catch (e: any) {
    await deps.audit.append({
      actor,
      action: 'retry',
      gate,
      arn: central.arn,
      result: 'failed',
      detail: { ...detail, error: `${e?.name}: ${e?.message}` },
    });
    if (REFUSALS.has(e?.name))
      throw new ConflictError(
        `CodePipeline refused to retry ${run.pipelineName}${
          target.stageName ? ` stage ${target.stageName}` : ''
        }: ${e.name}: ${e.message}`,
      );
    throw e;
  }
}
