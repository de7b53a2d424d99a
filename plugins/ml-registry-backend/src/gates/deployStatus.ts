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

type Trouble = Pick<GateState, 'state' | 'reason' | 'deploy'>;
type WatchOptions = { watch: DeployWatchPolicy; region: string; now: Date };
type ActionExecution = NonNullable<
  NonNullable<StageState['actionStates']>[number]['latestExecution']
>;

/** Where the run is, for every trouble it is in. */
const runOf = (run: DeployRun) => ({
  pipelineName: run.pipelineName,
  ...(run.executionId ? { executionId: run.executionId } : {}),
});

/** What CodePipeline says of an action's execution. */
const saidOf = (execution: ActionExecution | undefined) => ({
  ...(execution?.summary ? { summary: execution.summary } : {}),
  ...(execution?.errorDetails
    ? {
        errorDetails: {
          code: execution.errorDetails.code,
          message: execution.errorDetails.message,
        },
      }
    : {}),
});

/** The approved version got no execution within `notStartedAfter`: the pipeline's rule did not start it. */
function notStarted(
  run: DeployRun,
  since: Date,
  { watch, region, now }: WatchOptions,
): Trouble | undefined {
  const waited = Math.floor((now.getTime() - since.getTime()) / 1000);
  if (waited * 1000 < watch.notStartedAfterMs) return undefined;
  const rule = onApprovalRule(run.pipelineName);
  const deploy: DeployTrouble = {
    pipelineName: run.pipelineName,
    rule,
    since: since.toISOString(),
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

/** A stage of the side failed or stopped: its failed action, and what it said. */
function failedStage(
  run: DeployRun,
  side: 'test' | 'prod',
  region: string,
): Trouble | undefined {
  const failed = retryableStage(run, side);
  if (!failed) return undefined;
  const status = failed.latestExecution!.status!;
  const action =
    failed.actionStates?.find(
      a =>
        a.latestExecution?.status === 'Failed' ||
        a.latestExecution?.status === 'Abandoned',
    ) ?? failed.actionStates?.find(a => a.latestExecution);
  const execution = action?.latestExecution;
  const why = execution?.errorDetails?.message ?? execution?.summary;
  const where = `${failed.stageName}${
    action?.actionName ? `/${action.actionName}` : ''
  }`;
  const log = execution?.externalExecutionId
    ? ` (${execution.externalExecutionId})`
    : '';
  const deploy: DeployTrouble = {
    ...runOf(run),
    stageName: failed.stageName!,
    ...(action?.actionName ? { actionName: action.actionName } : {}),
    status,
    ...(execution?.lastStatusChange
      ? { since: execution.lastStatusChange.toISOString() }
      : {}),
    ...saidOf(execution),
    check:
      `${where} ${status.toLowerCase()}${why ? `: ${why}` : ''}. ` +
      `Read its log${log}, fix the cause, then retry the failed actions or start the pipeline again.`,
    consoleUrl: pipelineConsoleUrl(region, run.pipelineName, run.executionId),
    retries: ['failed-actions', 'pipeline'],
  };
  return {
    state: 'failed',
    reason: `${failed.stageName} ${status.toLowerCase()}`,
    deploy,
  };
}

/** A stage of the side whose running action has not changed status for `stalledAfter`. */
function stalledStage(
  run: DeployRun,
  side: 'test' | 'prod',
  { watch, region, now }: WatchOptions,
): Trouble | undefined {
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
    const external = execution.externalExecutionId
      ? `${execution.externalExecutionId} and `
      : '';
    const deploy: DeployTrouble = {
      ...runOf(run),
      stageName: stage.stageName!,
      actionName: action.actionName!,
      status: execution.status!,
      since: changed.toISOString(),
      stuckForSeconds: stuck,
      ...saidOf(execution),
      check:
        `${stage.stageName}/${action.actionName} has been ${
          execution.status
        } for ${minutes(stuck)} without a change: ` +
        `check ${external}the account it deploys to (reachable, its CloudFormation stack or endpoint not waiting on something), ` +
        'then stop the execution or start the pipeline again.',
      consoleUrl: pipelineConsoleUrl(region, run.pipelineName, run.executionId),
      retries: ['pipeline'],
    };
    return { state: 'stalled', reason: `${stage.stageName} stalled`, deploy };
  }
  return undefined;
}

/**
 * Why one side's deploy does not move, if it does not: a stage failed or stopped, a
 * stage's action has not changed status for `stalledAfter`, or (test side) the
 * approved version got no execution within `notStartedAfter`.
 */
export function deployTrouble(
  run: DeployRun,
  side: 'test' | 'prod',
  options: WatchOptions,
): Trouble | undefined {
  if (side === 'test' && run.notStartedSince)
    return notStarted(run, run.notStartedSince, options);
  return (
    failedStage(run, side, options.region) ?? stalledStage(run, side, options)
  );
}
