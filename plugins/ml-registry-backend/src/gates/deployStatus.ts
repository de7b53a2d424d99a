import { StageState } from '@aws-sdk/client-codepipeline';
import {
  DeployTrouble,
  GateState,
} from '@ml-governance/plugin-ml-registry-common';
import { DeployWatchPolicy } from './readDeployWatch';

/** What the gates read of the deploy pipeline for the version it deploys (or owes a run to). */
export interface DeployRun {
  pipelineName: string;
  /** The manual approval's stage: stages before it make the test deployment, those after it the prod one. */
  stageName: string;
  executionId?: string;
  /** The latest execution's stages, in the pipeline's order (stages it has not reached left out). */
  stageStates: StageState[];
  /** Set when the version was approved after the latest execution started: the pipeline's rule owes it a run. */
  notStartedSince?: Date;
}

/** The rule the deploy pipeline template creates to start the pipeline on a central approval (iam/ml-deploy-pipeline.yaml). */
export const onApprovalRule = (pipelineName: string) =>
  `${pipelineName}-on-approval`;

/**
 * The console page of a CodePipeline execution, or of the pipeline
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-view-console.html).
 */
export function pipelineConsoleUrl(
  region: string,
  pipelineName: string,
  executionId?: string,
): string {
  const pipeline = `https://${region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${encodeURIComponent(
    pipelineName,
  )}`;
  return `${
    executionId
      ? `${pipeline}/executions/${encodeURIComponent(executionId)}/timeline`
      : `${pipeline}/view`
  }?region=${region}`;
}

/** The stages of one side of the manual approval. */
export function stagesOf(run: DeployRun, side: 'test' | 'prod'): StageState[] {
  const manual = run.stageStates.findIndex(s => s.stageName === run.stageName);
  // Before the run reached the approval, every stage it ran is on the test side.
  if (manual < 0) return side === 'test' ? run.stageStates : [];
  return run.stageStates.filter((_, i) =>
    side === 'test' ? i < manual : i > manual,
  );
}

/** The failed or stopped stage of a side, which `RetryStageExecution` can run again. */
export function retryableStage(
  run: DeployRun,
  side: 'test' | 'prod',
): StageState | undefined {
  return stagesOf(run, side).find(
    s =>
      s.latestExecution?.status === 'Failed' ||
      s.latestExecution?.status === 'Stopped',
  );
}

const minutes = (seconds: number) =>
  seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;

/**
 * Why one side's deploy does not move, if it does not: a stage failed or stopped, a
 * stage's action has not changed status for `stalledAfter`, or (test side) the
 * approved version got no execution within `notStartedAfter`.
 */
export function deployTrouble(
  run: DeployRun,
  side: 'test' | 'prod',
  options: { watch: DeployWatchPolicy; region: string; now: Date },
): Pick<GateState, 'state' | 'reason' | 'deploy'> | undefined {
  const { watch, region, now } = options;
  const base = {
    pipelineName: run.pipelineName,
    ...(run.executionId ? { executionId: run.executionId } : {}),
  };
  const consoleUrl = pipelineConsoleUrl(
    region,
    run.pipelineName,
    run.executionId,
  );
  if (side === 'test' && run.notStartedSince) {
    const waited = Math.floor(
      (now.getTime() - run.notStartedSince.getTime()) / 1000,
    );
    if (waited * 1000 < watch.notStartedAfterMs) return undefined;
    const rule = onApprovalRule(run.pipelineName);
    const deploy: DeployTrouble = {
      pipelineName: run.pipelineName,
      rule,
      since: run.notStartedSince.toISOString(),
      stuckForSeconds: waited,
      check: `No execution of ${run.pipelineName} started in the ${minutes(
        waited,
      )} since the central approval: check that the EventBridge rule ${rule} in the shared services account is ENABLED, that its target is the pipeline and its role may codepipeline:StartPipelineExecution on it, then start the pipeline again.`,
      consoleUrl: pipelineConsoleUrl(region, run.pipelineName),
      retries: ['pipeline'],
    };
    return {
      state: 'not-started',
      reason: `${run.pipelineName} not started`,
      deploy,
    };
  }
  const failed = retryableStage(run, side);
  if (failed) {
    const status = failed.latestExecution!.status!;
    const action =
      failed.actionStates?.find(
        a =>
          a.latestExecution?.status === 'Failed' ||
          a.latestExecution?.status === 'Abandoned',
      ) ?? failed.actionStates?.find(a => a.latestExecution);
    const execution = action?.latestExecution;
    const why = execution?.errorDetails?.message ?? execution?.summary;
    const deploy: DeployTrouble = {
      ...base,
      stageName: failed.stageName!,
      ...(action?.actionName ? { actionName: action.actionName } : {}),
      status,
      ...(execution?.lastStatusChange
        ? { since: execution.lastStatusChange.toISOString() }
        : {}),
      ...(execution?.summary ? { summary: execution.summary } : {}),
      ...(execution?.errorDetails
        ? {
            errorDetails: {
              code: execution.errorDetails.code,
              message: execution.errorDetails.message,
            },
          }
        : {}),
      check:
        `${failed.stageName}${
          action?.actionName ? `/${action.actionName}` : ''
        } ${status.toLowerCase()}${why ? `: ${why}` : ''}. ` +
        `Read its log${
          execution?.externalExecutionId
            ? ` (${execution.externalExecutionId})`
            : ''
        }, fix the cause, then retry the failed actions or start the pipeline again.`,
      consoleUrl,
      retries: ['failed-actions', 'pipeline'],
    };
    return {
      state: 'failed',
      reason: `${failed.stageName} ${status.toLowerCase()}`,
      deploy,
    };
  }
  for (const stage of stagesOf(run, side)) {
    if (stage.latestExecution?.status !== 'InProgress') continue;
    const action = stage.actionStates?.find(
      a => a.latestExecution?.status === 'InProgress',
    );
    const changed = action?.latestExecution?.lastStatusChange;
    if (!action || !changed) continue;
    const stuck = Math.floor((now.getTime() - changed.getTime()) / 1000);
    if (stuck * 1000 < watch.stalledAfterMs) continue;
    const execution = action.latestExecution!;
    const deploy: DeployTrouble = {
      ...base,
      stageName: stage.stageName!,
      actionName: action.actionName!,
      status: execution.status!,
      since: changed.toISOString(),
      stuckForSeconds: stuck,
      ...(execution.summary ? { summary: execution.summary } : {}),
      ...(execution.errorDetails
        ? {
            errorDetails: {
              code: execution.errorDetails.code,
              message: execution.errorDetails.message,
            },
          }
        : {}),
      check:
        `${stage.stageName}/${action.actionName} has been ${
          execution.status
        } for ${minutes(stuck)} without a change: ` +
        `check ${
          execution.externalExecutionId
            ? `${execution.externalExecutionId} and `
            : ''
        }the account it deploys to (reachable, its CloudFormation stack or endpoint not waiting on something), ` +
        'then stop the execution or start the pipeline again.',
      consoleUrl,
      retries: ['pipeline'],
    };
    return { state: 'stalled', reason: `${stage.stageName} stalled`, deploy };
  }
  return undefined;
}
