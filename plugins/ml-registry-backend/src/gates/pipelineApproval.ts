import {
  ActionExecutionDetail,
  CodePipelineClient,
  GetPipelineCommand,
  GetPipelineStateCommand,
  GetPipelineStateCommandOutput,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  StageState,
} from '@aws-sdk/client-codepipeline';
import { MlPlatformConfig } from '@ml-governance/plugin-ml-registry-common';
import {
  AwsClientFactory,
  unlessAwsNotFound,
} from '@ml-governance/plugin-ml-registry-node';
import { ModelVersionRecord, VersionStore } from '../database/VersionStore';
import { DeployRun } from './deployStatus';
import { GatePolicy } from './gatePolicy';

/**
 * The deploy pipeline's Build action output variable naming the version an
 * execution deploys (the bundle's buildspec exports it under the action's
 * namespace BuildVariables).
 */
export const DEPLOYED_VERSION_VARIABLE = 'MODEL_PACKAGE_ARN';

/** The deploy pipeline's manual approval, as it stands for one central version. */
export interface PipelineApproval extends DeployRun {
  pipelineName: string;
  stageName: string;
  actionName: string;
  /** The latest execution, the one whose approval is considered. */
  executionId?: string;
  /** The version the latest execution deploys, once its build resolved it. */
  deploys?: string;
  /** Set while the approval waits. */
  token?: string;
  status?: string;
  summary?: string;
  /** Each stage's latest status, in the pipeline's order (GetPipelineState keeps it). */
  stages: Record<string, string | undefined>;
  stageStates: StageState[];
}

export interface PipelineApprovalDeps {
  clients: AwsClientFactory;
  platform: MlPlatformConfig;
  versions: VersionStore;
  policy: GatePolicy;
}

interface ManualApproval {
  stage: string;
  action: string;
}

/** The pipeline's first manual approval action, when the pipeline exists and has one. */
async function manualApprovalOf(
  codepipeline: CodePipelineClient,
  pipelineName: string,
): Promise<ManualApproval | undefined> {
  // Only a pipeline that does not exist means none deploys the version; an unreachable account is no answer.
  const definition = await unlessAwsNotFound(
    codepipeline.send(new GetPipelineCommand({ name: pipelineName })),
  );
  return definition?.pipeline?.stages?.flatMap(s =>
    (s.actions ?? [])
      .filter(a => a.actionTypeId?.category === 'Approval')
      .map(a => ({ stage: s.name!, action: a.name! })),
  )[0];
}

/** The version an execution deploys, from its action executions (ListActionExecutions): its Build action's output variable, once the build ran. */
export function deployedVersionOf(
  details: ActionExecutionDetail[],
): string | undefined {
  // Newest first: a retried build's latest output counts.
  return details.find(
    a =>
      a.input?.actionTypeId?.category === 'Build' &&
      a.output?.outputVariables?.[DEPLOYED_VERSION_VARIABLE],
  )?.output?.outputVariables?.[DEPLOYED_VERSION_VARIABLE];
}

/** The version an execution deploys, read from CodePipeline. */
export async function deployedBy(
  codepipeline: CodePipelineClient,
  pipelineName: string,
  pipelineExecutionId: string,
): Promise<string | undefined> {
  const { actionExecutionDetails = [] } = await codepipeline.send(
    new ListActionExecutionsCommand({
      pipelineName,
      filter: { pipelineExecutionId },
    }),
  );
  return deployedVersionOf(actionExecutionDetails);
}

/**
 * The latest run's stages and manual approval. A stage the latest execution
 * has not reached shows an earlier execution's state, as GetPipelineState
 * does: only the latest run's count.
 */
function latestRunApproval(
  state: GetPipelineStateCommandOutput,
  manual: ManualApproval,
): Pick<
  PipelineApproval,
  'stages' | 'stageStates' | 'status' | 'summary' | 'token'
> {
  const latestRun =
    state.stageStates?.[0]?.latestExecution?.pipelineExecutionId;
  const ofLatestRun = (s: StageState) =>
    s.latestExecution?.pipelineExecutionId === latestRun;
  const stages = Object.fromEntries(
    (state.stageStates ?? []).map(s => [
      s.stageName!,
      ofLatestRun(s) ? s.latestExecution?.status : undefined,
    ]),
  );
  const approvalStage = state.stageStates?.find(
    s => s.stageName === manual.stage,
  );
  const action =
    approvalStage && ofLatestRun(approvalStage)
      ? approvalStage.actionStates?.find(a => a.actionName === manual.action)
      : undefined;
  const execution = action?.latestExecution;
  return {
    stages,
    stageStates: (state.stageStates ?? []).filter(ofLatestRun),
    status: execution?.status,
    summary: execution?.summary,
    ...(execution?.status === 'InProgress' && execution.token
      ? { token: execution.token }
      : {}),
  };
}

/** The group's newest approved version, which a run's build resolves before it has run. */
async function newestApproved(
  versions: VersionStore,
  central: ModelVersionRecord,
): Promise<string | undefined> {
  const page = await versions.versionsPage(
    central.accountId,
    central.groupName,
    {
      offset: 0,
      limit: 1,
      sortBy: 'version',
      order: 'desc',
      status: 'Approved',
    },
  );
  return page.items[0]?.arn;
}

/**
 * Whether the pipeline's rule owes `central` a run: it is the group's newest
 * approved version, approved after the latest run started (or with no run at
 * all), and not what that run deploys (a version approved again while its run
 * waits is still deployed by it).
 */
async function runOwed(
  codepipeline: CodePipelineClient,
  pipelineName: string,
  central: ModelVersionRecord,
  newest: string | undefined,
  deploys: string | undefined,
): Promise<boolean> {
  if (
    newest !== central.arn ||
    deploys === central.arn ||
    central.approvalStatus !== 'Approved'
  )
    return false;
  const [latest] =
    (
      await codepipeline.send(
        new ListPipelineExecutionsCommand({ pipelineName, maxResults: 1 }),
      )
    ).pipelineExecutionSummaries ?? [];
  return !latest?.startTime || latest.startTime < central.lastModifiedAt;
}

/** The deploy pipeline's manual approval, when the pipeline deploys this central version. */
export async function readPipelineApproval(
  deps: PipelineApprovalDeps,
  central: ModelVersionRecord,
): Promise<PipelineApproval | undefined> {
  const account = deps.platform.accounts.find(
    a => a.accountId === central.accountId,
  );
  if (!central.sourceArn && account?.stage !== 'shared-services')
    return undefined;
  const pipelineName = deps.policy.pipelineName(central.groupName);
  const codepipeline = await deps.clients.create(
    CodePipelineClient,
    central.accountId,
  );
  const manual = await manualApprovalOf(codepipeline, pipelineName);
  if (!manual) return undefined;
  const state = await codepipeline.send(
    new GetPipelineStateCommand({ name: pipelineName }),
  );
  const latestRun =
    state.stageStates?.[0]?.latestExecution?.pipelineExecutionId;
  const deploys = latestRun
    ? await deployedBy(codepipeline, pipelineName, latestRun)
    : undefined;
  const newest = await newestApproved(deps.versions, central);
  const run = {
    pipelineName,
    stageName: manual.stage,
    actionName: manual.action,
    ...(latestRun ? { executionId: latestRun } : {}),
    ...(deploys ? { deploys } : {}),
  };
  if (await runOwed(codepipeline, pipelineName, central, newest, deploys))
    return {
      ...run,
      stages: {},
      stageStates: [],
      status: 'not started',
      notStartedSince: central.lastModifiedAt,
    };
  if ((deploys ?? newest) !== central.arn)
    return {
      ...run,
      stages: {},
      stageStates: [],
      status: 'deploying another version',
    };
  return { ...run, ...latestRunApproval(state, manual) };
}
