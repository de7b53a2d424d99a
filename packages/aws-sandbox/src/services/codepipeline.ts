import crypto from 'node:crypto';
import { requireIdentityAllows } from '../authorization';
import { OperationTable, RequestContext } from '../context';
import type { SandboxCore } from '../core';
import { AwsError, validation } from '../errors';
import { getObjectAs, ObjectLocation, putObjectAs } from '../objectsAs';
import { paginate, sortBy } from '../paginate';
import { identityPolicyAllows } from '../policy';
import { assumeRoleFor, requireTrust, RoleSession } from '../roleSessions';
import { AccountState, Json, nowSeconds, RoleDef, Rule } from '../state';
import { ROLE_ARN_PATTERN, str } from '../validate';
import { deployStack } from './cloudFormationDeploy';
import { buildFailure, startBuild } from './codebuild';
import { checkPipelineDeclaration } from './pipelineDeclaration';

const PIPELINE_NAME = /^[A-Za-z0-9.@\-_]{1,100}$/;
const CODEPIPELINE = 'codepipeline.amazonaws.com';
/** The scheduled step that performs an action (see SandboxCore.schedule). */
const ACTION_TASK = 'codepipeline:action';

function pipelineOf(account: AccountState, name: string) {
  const pipeline = account.codePipelines[name];
  if (!pipeline)
    throw new AwsError(
      'PipelineNotFoundException',
      `Account '${account.id}' does not have a pipeline with name '${name}'`,
    );
  return pipeline;
}

/** The pipeline a request about its executions names (`pipelineName`). */
function executionsPipeline(
  account: AccountState,
  input: Parameters<typeof str>[0],
) {
  return pipelineOf(account, str(input, 'pipelineName', PIPELINE_NAME));
}

/**
 * The declaration's structure and rules, and its service role, which
 * CodePipeline must be able to assume.
 */
function validatePipeline(ctx: RequestContext, pipeline: any) {
  str(pipeline ?? {}, 'name', PIPELINE_NAME);
  str(pipeline, 'roleArn', ROLE_ARN_PATTERN);
  if (!pipeline.artifactStore?.location) {
    throw new AwsError(
      'InvalidStructureException',
      'The pipeline needs an artifactStore: the S3 bucket where it keeps its artifacts',
    );
  }
  checkPipelineDeclaration(pipeline, ctx.account.id);
  try {
    requireTrust(ctx.core, pipeline.roleArn, CODEPIPELINE);
  } catch {
    throw new AwsError(
      'InvalidStructureException',
      `CodePipeline is not authorized to perform AssumeRole on role ${pipeline.roleArn}`,
    );
  }
}

/**
 * Runs an execution stage by stage, each action with its provider as
 * CodePipeline does: in a session of the pipeline's service role, or of the
 * action's roleArn (which the service role assumes, in another account for a
 * cross-account action). Artifacts are zips in the artifact store. A failed
 * action fails its stage and the execution, with the action's error.
 */
class ExecutionRunner {
  constructor(
    private readonly core: SandboxCore,
    private readonly account: AccountState,
    private readonly pipeline: Json,
    private readonly execution: Json,
  ) {}

  /** The runner of a saved execution, e.g. for a step scheduled before a restart. */
  static of(
    core: SandboxCore,
    accountId: string,
    executionId: string,
  ): ExecutionRunner | undefined {
    const account = core.state.accounts[accountId];
    const execution = account?.codePipelineExecutions[executionId];
    const pipeline = execution && account.codePipelines[execution.pipelineName];
    return pipeline
      ? new ExecutionRunner(core, account, pipeline, execution)
      : undefined;
  }

  start() {
    this.emit('CodePipeline Pipeline Execution State Change', {
      state: 'STARTED',
    });
    this.runStage(0);
  }

  private get name(): string {
    return this.pipeline.pipeline.name;
  }

  private get stages(): Json[] {
    return this.pipeline.pipeline.stages;
  }

  private emit(detailType: string, detail: Json) {
    this.core.emit(this.account.id, {
      source: 'aws.codepipeline',
      detailType,
      resources: [this.pipeline.metadata.pipelineArn],
      detail: {
        pipeline: this.name,
        'execution-id': this.execution.pipelineExecutionId,
        version: this.pipeline.pipeline.version,
        ...detail,
      },
    });
  }

  private runStage(index: number) {
    if (index >= this.stages.length) {
      this.finish('Succeeded');
      return;
    }
    const stage = this.stages[index];
    this.execution.stageStates[stage.name] = {
      status: 'InProgress',
      actions: {},
    };
    this.emit('CodePipeline Stage Execution State Change', {
      stage: stage.name,
      state: 'STARTED',
    });
    this.runAction(index, 0);
  }

  private ordered(stage: Json): Json[] {
    return [...stage.actions].sort(
      (a, b) => (a.runOrder ?? 1) - (b.runOrder ?? 1),
    );
  }

  /**
   * Starts the stage's action at `actionIndex` (in run order), or completes
   * the stage after its last one; an execution being stopped stops here,
   * its action in progress done. The action itself is performed one step
   * later, as a scheduled step that a restart continues.
   */
  private runAction(stageIndex: number, actionIndex: number) {
    const stage = this.stages[stageIndex];
    if (this.execution.status === 'Stopping') {
      this.stopped();
      return;
    }
    const actions = this.ordered(stage);
    if (actionIndex >= actions.length) {
      this.execution.stageStates[stage.name].status = 'Succeeded';
      this.emit('CodePipeline Stage Execution State Change', {
        stage: stage.name,
        state: 'SUCCEEDED',
      });
      this.runStage(stageIndex + 1);
      return;
    }
    const action = actions[actionIndex];
    const state = this.actionState(stage.name, action.name);
    delete state.errorDetails;
    state.status = 'InProgress';
    state.startTime = state.lastStatusChange = nowSeconds();
    state.actionExecutionId = crypto.randomUUID();
    this.emitAction(stage.name, action, 'STARTED');
    if (action.actionTypeId.category === 'Approval') {
      state.token = crypto.randomUUID();
      state.summary =
        action.configuration?.CustomData ?? 'Waiting for approval';
      this.execution.waiting = {
        stage: stage.name,
        action: action.name,
        token: state.token,
      };
      return;
    }
    this.core.schedule(1, ACTION_TASK, {
      account: this.account.id,
      execution: this.execution.pipelineExecutionId,
      stage: stageIndex,
      action: actionIndex,
    });
  }

  /**
   * Performs the action at `actionIndex` of stage `stageIndex`; its outcome
   * moves the execution on, unless the execution was stopped or the stage
   * retried meanwhile, or the sandbox closed (a dead sandbox records nothing).
   */
  performAction(stageIndex: number, actionIndex: number) {
    const stage = this.stages[stageIndex];
    const action = this.ordered(stage)[actionIndex];
    const state = this.actionState(stage.name, action.name);
    const attempt = state.actionExecutionId;
    const current = () =>
      !this.core.closing.signal.aborted &&
      state.status === 'InProgress' &&
      state.actionExecutionId === attempt;
    if (!current()) return;
    this.perform(action, state).then(
      () => {
        if (!current()) return;
        this.succeed(stage.name, action, state);
        this.runAction(stageIndex, actionIndex + 1);
      },
      (e: Error) =>
        current() && this.fail(stage.name, action, state, e.message),
    );
  }

  /**
   * After a restart: the action that was in progress goes on. An approval
   * still waits and a scheduled action runs when due; a build that was
   * running failed with the sandbox (failInterruptedBuilds), and so does its
   * action, which the stage's retry runs again; any other action (an S3
   * source, a CloudFormation deploy, both idempotent) is performed again.
   */
  recover(scheduled: Set<string>) {
    const stageIndex = this.stages.findIndex(
      s => this.execution.stageStates[s.name]?.status === 'InProgress',
    );
    if (stageIndex < 0) return;
    const stage = this.stages[stageIndex];
    const actionIndex = this.ordered(stage).findIndex(
      a =>
        this.execution.stageStates[stage.name].actions[a.name]?.status ===
        'InProgress',
    );
    if (actionIndex < 0) return;
    const action = this.ordered(stage)[actionIndex];
    const state = this.actionState(stage.name, action.name);
    if (
      action.actionTypeId.category === 'Approval' ||
      scheduled.has(
        `${this.execution.pipelineExecutionId}/${stageIndex}/${actionIndex}`,
      )
    )
      return;
    const build =
      state.externalExecutionId &&
      this.account.codeBuilds[state.externalExecutionId];
    if (build?.buildComplete) {
      this.fail(stage.name, action, state, buildFailure(build));
      return;
    }
    this.core.schedule(0, ACTION_TASK, {
      account: this.account.id,
      execution: this.execution.pipelineExecutionId,
      stage: stageIndex,
      action: actionIndex,
    });
  }

  /**
   * Retries a failed or stopped stage: from its first action (ALL_ACTIONS) or
   * its first action that did not succeed (FAILED_ACTIONS); later artifacts
   * overwrite the earlier ones
   * (https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-actions-retry.html).
   */
  retry(stageIndex: number, mode: 'FAILED_ACTIONS' | 'ALL_ACTIONS') {
    const stage = this.stages[stageIndex];
    const stageState = this.execution.stageStates[stage.name];
    const from =
      mode === 'ALL_ACTIONS'
        ? 0
        : this.ordered(stage).findIndex(
            a => stageState.actions[a.name]?.status !== 'Succeeded',
          );
    this.execution.status = 'InProgress';
    this.execution.lastUpdateTime = nowSeconds();
    delete this.execution.statusSummary;
    delete this.execution.stopTrigger;
    stageState.status = 'InProgress';
    this.emit('CodePipeline Pipeline Execution State Change', {
      state: 'RESUMED',
    });
    this.emit('CodePipeline Stage Execution State Change', {
      stage: stage.name,
      state: 'RESUMED',
    });
    this.runAction(stageIndex, from);
  }

  /**
   * Stops the execution (https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-stop.html):
   * Stopping until the action in progress completes, then Stopped; with
   * `abandon`, the action in progress is Abandoned and the execution Stopped
   * at once.
   */
  stop(abandon: boolean, reason: string | undefined) {
    this.execution.status = 'Stopping';
    this.execution.stopTrigger = reason === undefined ? {} : { reason };
    this.execution.lastUpdateTime = nowSeconds();
    this.emit('CodePipeline Pipeline Execution State Change', {
      state: 'STOPPING',
    });
    if (!abandon) return;
    for (const stage of this.stages) {
      for (const action of stage.actions) {
        const state =
          this.execution.stageStates[stage.name]?.actions[action.name];
        if (state?.status !== 'InProgress') continue;
        state.status = 'Abandoned';
        state.lastStatusChange = nowSeconds();
        delete this.execution.waiting;
        this.emitAction(stage.name, action, 'ABANDONED');
      }
    }
    this.stopped();
  }

  private stopped() {
    for (const [name, stageState] of Object.entries<Json>(
      this.execution.stageStates,
    )) {
      if (stageState.status !== 'InProgress') continue;
      stageState.status = 'Stopped';
      this.emit('CodePipeline Stage Execution State Change', {
        stage: name,
        state: 'STOPPED',
      });
    }
    this.finish('Stopped', this.execution.stopTrigger?.reason);
  }

  private actionState(stageName: string, actionName: string): Json {
    const stage = this.execution.stageStates[stageName];
    return (stage.actions[actionName] ??= {});
  }

  private emitAction(stageName: string, action: Json, state: string) {
    this.emit('CodePipeline Action Execution State Change', {
      stage: stageName,
      action: action.name,
      state,
      type: { ...action.actionTypeId },
      region: this.core.region,
    });
  }

  private succeed(stageName: string, action: Json, state: Json) {
    state.status = 'Succeeded';
    state.lastStatusChange = nowSeconds();
    this.emitAction(stageName, action, 'SUCCEEDED');
    this.core.changed();
  }

  private fail(stageName: string, action: Json, state: Json, message: string) {
    state.status = 'Failed';
    state.summary = message;
    state.errorDetails = { code: 'JobFailed', message };
    state.lastStatusChange = nowSeconds();
    this.execution.stageStates[stageName].status = 'Failed';
    this.emitAction(stageName, action, 'FAILED');
    this.emit('CodePipeline Stage Execution State Change', {
      stage: stageName,
      state: 'FAILED',
    });
    if (this.execution.status === 'Stopping') this.stopped();
    else this.finish('Failed', message);
  }

  private finish(status: string, reason?: string) {
    this.execution.status = status;
    this.execution.lastUpdateTime = nowSeconds();
    if (reason) this.execution.statusSummary = reason;
    this.emit('CodePipeline Pipeline Execution State Change', {
      state: status.toUpperCase(),
    });
    this.core.changed();
  }

  /** The pipeline's service role, as CodePipeline acts. */
  private serviceRole(): RoleSession {
    return assumeRoleFor(
      this.core,
      this.pipeline.pipeline.roleArn,
      CODEPIPELINE,
      `codepipeline-${this.execution.pipelineExecutionId}`.slice(0, 64),
    );
  }

  /** The action's role: its roleArn, which the service role assumes, or the service role itself. */
  private actionRole(action: Json): RoleSession {
    const service = this.serviceRole();
    if (!action.roleArn) return service;
    requireIdentityAllows(service.caller, 'sts:AssumeRole', action.roleArn);
    return assumeRoleFor(
      this.core,
      action.roleArn,
      this.account.id,
      `codepipeline-${action.name}`.slice(0, 64),
      { principalArn: service.caller.arn },
    );
  }

  /** A new object of the artifact store for an action's output artifact. */
  private outputLocation(artifact: string): ObjectLocation {
    const location: ObjectLocation = {
      bucket: this.pipeline.pipeline.artifactStore.location,
      key: `${this.name.slice(0, 20)}/${artifact.slice(
        0,
        20,
      )}/${this.core.randomId(7)}`,
    };
    this.execution.artifacts[artifact] = location;
    return location;
  }

  private inputLocations(action: Json): Record<string, ObjectLocation> {
    return Object.fromEntries(
      (action.inputArtifacts ?? []).map((a: Json) => [
        a.name,
        this.execution.artifacts[a.name],
      ]),
    );
  }

  private async perform(action: Json, state: Json) {
    const { category, provider } = action.actionTypeId;
    const configuration = action.configuration ?? {};
    if (category === 'Source' && provider === 'S3')
      return this.s3Source(action, configuration);
    if (
      (category === 'Build' || category === 'Test') &&
      provider === 'CodeBuild'
    )
      return this.codeBuild(action, configuration, state);
    if (category === 'Deploy' && provider === 'CloudFormation') {
      return deployStack(
        this.core,
        this.actionRole(action).caller,
        configuration,
        this.inputLocations(action),
      );
    }
    throw new Error(
      `The sandbox does not run ${category} actions of provider ${provider} (it runs S3 sources, CodeBuild builds and tests, CloudFormation deploys and manual approvals)`,
    );
  }

  /**
   * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3.html:
   * the source bucket must have versioning enabled; the object is copied into
   * the artifact store as the output artifact.
   */
  private s3Source(action: Json, configuration: Json) {
    const role = this.actionRole(action);
    const bucket = this.core.state.buckets[configuration.S3Bucket];
    if (bucket) {
      requireIdentityAllows(
        role.caller,
        's3:GetBucketVersioning',
        `arn:aws:s3:::${bucket.name}`,
        'AccessDenied',
        403,
      );
      if (bucket.versioning !== 'Enabled') {
        throw new Error(
          `Bucket ${bucket.name} does not have versioning enabled: an S3 source action needs a versioned bucket.`,
        );
      }
    }
    let zip: Buffer;
    try {
      zip = getObjectAs(
        this.core,
        role.caller,
        configuration.S3Bucket,
        configuration.S3ObjectKey,
      );
    } catch (e: any) {
      throw new Error(
        e.code === 'NoSuchKey'
          ? `The object with key '${configuration.S3ObjectKey}' does not exist in bucket '${configuration.S3Bucket}'.`
          : `${e.code}: ${e.message}`,
      );
    }
    const output = this.outputLocation(action.outputArtifacts[0].name);
    putObjectAs(this.core, role.caller, output.bucket, output.key, zip);
  }

  /**
   * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeBuild.html:
   * the first input artifact is the build's source, its first output artifact
   * holds the buildspec's artifacts.files.
   */
  private async codeBuild(action: Json, configuration: Json, state: Json) {
    const project = this.account.codeBuildProjects[configuration.ProjectName];
    if (!project)
      throw new Error(`Project cannot be found: ${configuration.ProjectName}`);
    if (project.source.type !== 'CODEPIPELINE')
      throw new Error(
        `Project ${project.name} must have source type CODEPIPELINE to run in a pipeline`,
      );
    if ((action.inputArtifacts ?? []).length > 1)
      throw new Error(
        'Secondary input artifacts are not simulated by the sandbox',
      );
    const role = this.actionRole(action).caller;
    requireIdentityAllows(role, 'codebuild:StartBuild', project.arn);
    requireIdentityAllows(role, 'codebuild:BatchGetBuilds', project.arn);
    const [input] = Object.values(this.inputLocations(action));
    const output = action.outputArtifacts?.[0]
      ? this.outputLocation(action.outputArtifacts[0].name)
      : undefined;
    const { build, done } = startBuild(this.core, this.account, project, {
      source: input,
      output,
      initiator: `codepipeline/${this.name}`,
    });
    state.externalExecutionId = build.id;
    const run = await done;
    // A CodeBuild action's output variables are the build's exported variables, under the action's namespace
    // (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html).
    if (action.namespace && build.exportedEnvironmentVariables) {
      state.outputVariables = Object.fromEntries(
        build.exportedEnvironmentVariables.map((v: Json) => [v.name, v.value]),
      );
    }
    if (run.status !== 'SUCCEEDED') throw new Error(buildFailure(build));
  }

  /** Resumes after a manual approval; a rejection fails the execution. */
  approve(
    stageName: string,
    actionName: string,
    status: 'Approved' | 'Rejected',
    summary: string,
  ) {
    const stageIndex = this.stages.findIndex(s => s.name === stageName);
    const stage = this.stages[stageIndex];
    const action = stage.actions.find((a: Json) => a.name === actionName);
    const state = this.actionState(stageName, actionName);
    delete this.execution.waiting;
    state.summary = summary;
    if (status === 'Rejected') {
      this.fail(stageName, action, state, `Rejected: ${summary}`);
      return;
    }
    this.succeed(stageName, action, state);
    this.runAction(
      stageIndex,
      this.ordered(stage).findIndex((a: Json) => a.name === actionName) + 1,
    );
  }
}

/** Performs a scheduled action (see SandboxCore.schedule). */
export function runScheduledAction(core: SandboxCore, args: Json) {
  ExecutionRunner.of(core, args.account, args.execution)?.performAction(
    args.stage,
    args.action,
  );
}

/** After a restart, each execution in progress goes on or fails, as ExecutionRunner.recover says. */
export function recoverPipelineExecutions(core: SandboxCore) {
  const scheduled = new Set(
    Object.values(core.state.scheduled ?? {})
      .filter(step => step.task === ACTION_TASK)
      .map(({ args }) => `${args.execution}/${args.stage}/${args.action}`),
  );
  for (const account of Object.values(core.state.accounts)) {
    for (const execution of Object.values(account.codePipelineExecutions)) {
      if (execution.status !== 'InProgress' && execution.status !== 'Stopping')
        continue;
      ExecutionRunner.of(
        core,
        account.id,
        execution.pipelineExecutionId,
      )?.recover(scheduled);
    }
  }
}

function newExecution(
  core: SandboxCore,
  account: AccountState,
  pipeline: Json,
  trigger: Json,
): Json {
  const id = crypto.randomUUID();
  const execution: Json = {
    pipelineName: pipeline.pipeline.name,
    pipelineVersion: pipeline.pipeline.version,
    pipelineExecutionId: id,
    status: 'InProgress',
    startTime: nowSeconds(),
    lastUpdateTime: nowSeconds(),
    trigger,
    artifacts: {},
    // A stage's state appears when the execution reaches it.
    stageStates: {},
  };
  account.codePipelineExecutions[id] = execution;
  new ExecutionRunner(core, account, pipeline, execution).start();
  return execution;
}

/**
 * An EventBridge rule's target that is a pipeline starts it, as the target's
 * role: a role of the rule's account that EventBridge may assume and whose
 * policies allow codepipeline:StartPipelineExecution on the pipeline
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/create-cloudtrail-S3-source-console.html,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-identity-based.html).
 * Returns whether the event was delivered.
 */
export function startPipelineFromRule(
  core: SandboxCore,
  rule: Rule,
  pipelineArn: string,
  role: RoleDef,
): boolean {
  const [, , , , accountId, name] = pipelineArn.split(':');
  const account = core.state.accounts[accountId];
  const pipeline = account?.codePipelines[name];
  if (!pipeline || accountId !== role.accountId) return false;
  if (
    !identityPolicyAllows(
      role.policies ?? [],
      'codepipeline:StartPipelineExecution',
      pipelineArn,
    )
  )
    return false;
  newExecution(core, account, pipeline, {
    triggerType: 'CloudWatchEvent',
    triggerDetail: rule.arn,
  });
  return true;
}

/** What CreatePipeline and UpdatePipeline store, and GetPipeline returns. */
function store(
  ctx: RequestContext,
  declaration: Json,
  version: number,
  created?: number,
) {
  const now = nowSeconds();
  const stored = {
    pipeline: { ...declaration, version },
    metadata: {
      pipelineArn: ctx.core.arn(
        'codepipeline',
        ctx.account.id,
        declaration.name,
      ),
      created: created ?? now,
      updated: now,
    },
  };
  ctx.account.codePipelines[declaration.name] = stored;
  ctx.core.changed();
  return stored;
}

/** One action of one execution as ListActionExecutions shows it: what it was declared with, and how it ran. */
function actionExecutionDetail(
  pipeline: Json,
  e: Json,
  action: { stageName: string; actionName: string; state: Json },
  region: string,
) {
  const { stageName, actionName, state: a } = action;
  const declared =
    pipeline.pipeline.stages
      .find((s: Json) => s.name === stageName)
      ?.actions.find((d: Json) => d.name === actionName) ?? {};
  return {
    pipelineExecutionId: e.pipelineExecutionId,
    actionExecutionId: a.actionExecutionId,
    pipelineVersion: e.pipelineVersion,
    stageName,
    actionName,
    startTime: a.startTime,
    lastUpdateTime: a.lastStatusChange,
    status: a.status,
    input: {
      actionTypeId: declared.actionTypeId,
      configuration: declared.configuration,
      roleArn: declared.roleArn,
      region: region,
      inputArtifacts: (declared.inputArtifacts ?? []).map((i: Json) => ({
        name: i.name,
      })),
      namespace: declared.namespace,
    },
    output: {
      executionResult: {
        externalExecutionId: a.externalExecutionId,
        externalExecutionSummary: a.summary,
        errorDetails: a.errorDetails,
      },
      ...(a.outputVariables ? { outputVariables: a.outputVariables } : {}),
    },
  };
}

export const codePipelineOperations: OperationTable = {
  CreatePipeline(input, ctx) {
    validatePipeline(ctx, input.pipeline);
    const name = input.pipeline.name;
    if (ctx.account.codePipelines[name]) {
      throw new AwsError(
        'PipelineNameInUseException',
        `A pipeline with the name '${name}' already exists in account '${ctx.account.id}'`,
      );
    }
    const stored = store(ctx, input.pipeline, 1);
    if (input.tags)
      ctx.account.tags[stored.metadata.pipelineArn] = input.tags.map(
        (t: Json) => ({ Key: t.key, Value: t.value }),
      );
    return { pipeline: stored.pipeline, tags: input.tags };
  },

  /** Replaces the declaration, checked as on creation; the version goes up by one. */
  UpdatePipeline(input, ctx) {
    validatePipeline(ctx, input.pipeline);
    const existing = pipelineOf(ctx.account, input.pipeline.name);
    return {
      pipeline: store(
        ctx,
        input.pipeline,
        existing.pipeline.version + 1,
        existing.metadata.created,
      ).pipeline,
    };
  },

  GetPipeline(input, ctx) {
    return pipelineOf(ctx.account, str(input, 'name', PIPELINE_NAME));
  },

  ListPipelines(input, ctx) {
    const { page, NextToken } = paginate(
      sortBy(
        Object.values(ctx.account.codePipelines).map(p => ({
          name: p.pipeline.name,
          version: p.pipeline.version,
          created: p.metadata.created,
          updated: p.metadata.updated,
        })),
        'name',
        'Ascending',
      ),
      { MaxResults: input.maxResults, NextToken: input.nextToken },
      1000,
    );
    return { pipelines: page, nextToken: NextToken };
  },

  StartPipelineExecution(input, ctx) {
    const pipeline = pipelineOf(ctx.account, str(input, 'name', PIPELINE_NAME));
    const execution = newExecution(ctx.core, ctx.account, pipeline, {
      triggerType: 'StartPipelineExecution',
      triggerDetail: ctx.caller.arn,
    });
    ctx.core.changed();
    return { pipelineExecutionId: execution.pipelineExecutionId };
  },

  GetPipelineState(input, ctx) {
    const pipeline = pipelineOf(ctx.account, str(input, 'name', PIPELINE_NAME));
    const executions = Object.values(ctx.account.codePipelineExecutions)
      .filter(e => e.pipelineName === pipeline.pipeline.name)
      .sort((a, b) => b.startTime - a.startTime);
    return {
      pipelineName: pipeline.pipeline.name,
      pipelineVersion: pipeline.pipeline.version,
      created: pipeline.metadata.created,
      updated: pipeline.metadata.updated,
      // Each stage shows the latest execution that reached it, as CodePipeline does.
      stageStates: pipeline.pipeline.stages.map((stage: Json) => {
        const latest = executions.find(e => e.stageStates[stage.name]);
        const state = latest?.stageStates[stage.name];
        return {
          stageName: stage.name,
          inboundTransitionState: { enabled: true },
          latestExecution: state
            ? {
                pipelineExecutionId: latest.pipelineExecutionId,
                status: state.status,
              }
            : undefined,
          actionStates: stage.actions.map((action: Json) => {
            const a = state?.actions[action.name];
            return {
              actionName: action.name,
              latestExecution: a?.status
                ? {
                    actionExecutionId: a.actionExecutionId,
                    status: a.status,
                    summary: a.summary,
                    lastStatusChange: a.lastStatusChange,
                    token: a.status === 'InProgress' ? a.token : undefined,
                    externalExecutionId: a.externalExecutionId,
                    errorDetails: a.errorDetails,
                  }
                : undefined,
            };
          }),
        };
      }),
    };
  },

  ListPipelineExecutions(input, ctx) {
    const pipeline = executionsPipeline(ctx.account, input);
    const runs = Object.values(ctx.account.codePipelineExecutions).filter(
      e => e.pipelineName === pipeline.pipeline.name,
    );
    const { page, NextToken } = paginate(sortBy(runs, 'startTime'), {
      MaxResults: input.maxResults,
      NextToken: input.nextToken,
    });
    return {
      pipelineExecutionSummaries: page.map(e => ({
        pipelineExecutionId: e.pipelineExecutionId,
        status: e.status,
        startTime: e.startTime,
        lastUpdateTime: e.lastUpdateTime,
        statusSummary: e.statusSummary,
        trigger: e.trigger,
        stopTrigger: e.stopTrigger,
      })),
      nextToken: NextToken,
    };
  },

  GetPipelineExecution(input, ctx) {
    executionsPipeline(ctx.account, input);
    const execution =
      ctx.account.codePipelineExecutions[str(input, 'pipelineExecutionId')];
    if (!execution)
      throw new AwsError(
        'PipelineExecutionNotFoundException',
        `Pipeline execution ${input.pipelineExecutionId} does not exist`,
      );
    return {
      pipelineExecution: {
        pipelineName: execution.pipelineName,
        pipelineVersion: execution.pipelineVersion,
        pipelineExecutionId: execution.pipelineExecutionId,
        status: execution.status,
        statusSummary: execution.statusSummary,
        trigger: execution.trigger,
      },
    };
  },

  /** Each action execution of the pipeline (or of one execution), newest first, with its input and output. */
  ListActionExecutions(input, ctx) {
    const pipeline = executionsPipeline(ctx.account, input);
    const executionId = input.filter?.pipelineExecutionId;
    const runs = Object.values(ctx.account.codePipelineExecutions).filter(
      e => e.pipelineName === pipeline.pipeline.name,
    );
    if (
      executionId !== undefined &&
      !runs.some(e => e.pipelineExecutionId === executionId)
    ) {
      throw new AwsError(
        'PipelineExecutionNotFoundException',
        `Pipeline execution ${executionId} does not exist in pipeline ${pipeline.pipeline.name}`,
      );
    }
    const details = runs
      .filter(
        e => executionId === undefined || e.pipelineExecutionId === executionId,
      )
      .flatMap(e =>
        Object.entries<Json>(e.stageStates).flatMap(([stageName, stageState]) =>
          Object.entries<Json>(stageState.actions).map(([actionName, a]) =>
            actionExecutionDetail(
              pipeline,
              e,
              { stageName, actionName, state: a },
              ctx.core.region,
            ),
          ),
        ),
      );
    const { page, NextToken } = paginate(sortBy(details, 'startTime'), {
      MaxResults: input.maxResults,
      NextToken: input.nextToken,
    });
    return { actionExecutionDetails: page, nextToken: NextToken };
  },

  /** https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_RetryStageExecution.html */
  RetryStageExecution(input, ctx) {
    const pipeline = executionsPipeline(ctx.account, input);
    const stageName = str(input, 'stageName');
    const executionId = str(input, 'pipelineExecutionId');
    const mode = input.retryMode;
    if (mode !== 'FAILED_ACTIONS' && mode !== 'ALL_ACTIONS')
      throw validation('retryMode must be FAILED_ACTIONS or ALL_ACTIONS');
    const stageIndex = pipeline.pipeline.stages.findIndex(
      (s: Json) => s.name === stageName,
    );
    if (stageIndex < 0)
      throw new AwsError(
        'StageNotFoundException',
        `Stage ${stageName} does not exist in pipeline ${pipeline.pipeline.name}`,
      );
    const runs = Object.values(ctx.account.codePipelineExecutions).filter(
      e => e.pipelineName === pipeline.pipeline.name,
    );
    const execution = runs.find(e => e.pipelineExecutionId === executionId);
    const stageState = execution?.stageStates[stageName];
    if (
      !stageState ||
      (stageState.status !== 'Failed' && stageState.status !== 'Stopped')
    ) {
      throw new AwsError(
        'StageNotRetryableException',
        `Stage ${stageName} of pipeline execution ${executionId} has not failed or stopped: there is nothing to retry`,
      );
    }
    if (
      runs.some(
        e => e.startTime > execution!.startTime && e.stageStates[stageName],
      )
    ) {
      throw new AwsError(
        'NotLatestPipelineExecutionException',
        `A later execution of pipeline ${pipeline.pipeline.name} has reached stage ${stageName}: execution ${executionId} is out of date`,
      );
    }
    if (execution!.pipelineVersion !== pipeline.pipeline.version) {
      throw new AwsError(
        'StageNotRetryableException',
        `Pipeline ${pipeline.pipeline.name} changed (version ${
          execution!.pipelineVersion
        } to ${
          pipeline.pipeline.version
        }) since execution ${executionId} ran stage ${stageName}`,
      );
    }
    new ExecutionRunner(ctx.core, ctx.account, pipeline, execution!).retry(
      stageIndex,
      mode,
    );
    ctx.core.changed();
    return { pipelineExecutionId: executionId };
  },

  /** https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_StopPipelineExecution.html */
  StopPipelineExecution(input, ctx) {
    const pipeline = executionsPipeline(ctx.account, input);
    const executionId = str(input, 'pipelineExecutionId');
    const execution = ctx.account.codePipelineExecutions[executionId];
    if (
      !execution ||
      execution.pipelineName !== pipeline.pipeline.name ||
      (execution.status !== 'InProgress' && execution.status !== 'Stopping')
    ) {
      throw new AwsError(
        'PipelineExecutionNotStoppableException',
        `Pipeline execution ${executionId} is not in progress: it cannot be stopped`,
      );
    }
    // Stop and wait cannot follow a stop in progress; stop and abandon can.
    if (execution.status === 'Stopping' && !input.abandon) {
      throw new AwsError(
        'DuplicatedStopRequestException',
        `Pipeline execution ${executionId} is already stopping`,
      );
    }
    new ExecutionRunner(ctx.core, ctx.account, pipeline, execution).stop(
      Boolean(input.abandon),
      input.reason,
    );
    ctx.core.changed();
    return { pipelineExecutionId: executionId };
  },

  PutApprovalResult(input, ctx) {
    const pipeline = executionsPipeline(ctx.account, input);
    const stageName = str(input, 'stageName');
    const actionName = str(input, 'actionName');
    const token = str(input, 'token');
    const status = input.result?.status;
    if (status !== 'Approved' && status !== 'Rejected')
      throw validation(`result.status must be Approved or Rejected`);
    const summary = str(input.result, 'summary');
    const execution = Object.values(ctx.account.codePipelineExecutions).find(
      e =>
        e.pipelineName === pipeline.pipeline.name && e.waiting?.token === token,
    );
    if (
      !execution ||
      execution.waiting.stage !== stageName ||
      execution.waiting.action !== actionName
    ) {
      throw new AwsError(
        'InvalidApprovalTokenException',
        `The approval token ${token} is not valid for action ${actionName} in stage ${stageName}`,
      );
    }
    new ExecutionRunner(ctx.core, ctx.account, pipeline, execution).approve(
      stageName,
      actionName,
      status,
      summary,
    );
    ctx.core.changed();
    return { approvedAt: nowSeconds() };
  },
};
