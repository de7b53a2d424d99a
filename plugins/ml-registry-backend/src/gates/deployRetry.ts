import { ConflictError } from '@backstage/errors';
import {
  CodePipelineClient,
  RetryStageExecutionCommand,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import {
  DeployRetry,
  DeployTrouble,
} from '@ml-governance/plugin-ml-registry-common';
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

interface RetryDeps {
  clients: AwsClientFactory;
  audit: AuditLog;
  watch: DeployWatchPolicy;
  region: string;
}

/** The side whose deploy is in trouble, and a retry it allows; a 409 otherwise. */
function retryable(
  deps: RetryDeps,
  central: ModelVersionRecord,
  run: DeployRun | undefined,
  retry: DeployRetry,
): { side: 'test' | 'prod'; deploy: DeployTrouble } {
  const options = { watch: deps.watch, region: deps.region, now: new Date() };
  const troubled =
    run &&
    (['test', 'prod'] as const)
      .map(side => ({ side, trouble: deployTrouble(run, side, options) }))
      .find(t => t.trouble);
  const deploy = troubled?.trouble?.deploy;
  if (!troubled || !deploy) {
    throw new ConflictError(
      `Only a failed, stalled or not started deployment can be retried; the ${
        run?.pipelineName ?? 'deploy'
      } pipeline's deployment of ${central.arn} is none of these`,
    );
  }
  if (!deploy.retries.includes(retry)) {
    throw new ConflictError(
      `retry: a ${
        troubled.trouble!.state
      } deployment can retry ${deploy.retries.join(' or ')}, not ${retry}`,
    );
  }
  return { side: troubled.side, deploy };
}

/**
 * Retries a deployment that failed, stalled or never started, as `actor` (whose
 * permission the caller checked): the failed stage's failed actions, or the
 * whole pipeline again. Audited either way; AWS's refusal is a 409 naming it.
 */
export async function retryDeploy(
  deps: RetryDeps,
  request: {
    actor: string;
    central: ModelVersionRecord;
    run: DeployRun | undefined;
    retry: DeployRetry;
  },
): Promise<void> {
  const { actor, central, run, retry } = request;
  const { side, deploy } = retryable(deps, central, run, retry);
  const { pipelineName, executionId } = run!;
  const target =
    retry === 'failed-actions'
      ? { stageName: deploy.stageName!, pipelineExecutionId: executionId! }
      : {};
  const detail = { retry, pipelineName, ...target };
  const audited = (result: 'ok' | 'failed', more: Record<string, unknown>) =>
    deps.audit.append({
      actor,
      action: 'retry',
      gate: `${side}-deploy`,
      arn: central.arn,
      result,
      detail: { ...detail, ...more },
    });
  const codepipeline = await deps.clients.create(
    CodePipelineClient,
    central.accountId,
  );
  try {
    const { pipelineExecutionId } = target.stageName
      ? await codepipeline.send(
          new RetryStageExecutionCommand({
            ...target,
            pipelineName,
            retryMode: 'FAILED_ACTIONS',
          }),
        )
      : await codepipeline.send(
          new StartPipelineExecutionCommand({ name: pipelineName }),
        );
    await audited('ok', { pipelineExecutionId });
  } catch (e: any) {
    await audited('failed', { error: `${e?.name}: ${e?.message}` });
    if (REFUSALS.has(e?.name))
      throw new ConflictError(
        `CodePipeline refused to retry ${pipelineName}${
          target.stageName ? ` stage ${target.stageName}` : ''
        }: ${e.name}: ${e.message}`,
      );
    throw e;
  }
}
