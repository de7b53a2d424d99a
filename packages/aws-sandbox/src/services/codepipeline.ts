import crypto from 'node:crypto';
import { OperationTable, RequestContext } from '../context';
import { AwsError, validation } from '../errors';
import { paginate, sortBy } from '../paginate';
import { AccountState, Json, nowSeconds } from '../state';
import { str } from '../validate';
import { putEndpoint } from './sagemaker/resources';

const PIPELINE_NAME = /^[A-Za-z0-9.@\-_]{1,100}$/;
const CATEGORIES = ['Source', 'Build', 'Deploy', 'Test', 'Invoke', 'Approval'];

function pipelineOf(account: AccountState, name: string) {
  const pipeline = account.codePipelines[name];
  if (!pipeline) throw new AwsError('PipelineNotFoundException', `Account '${account.id}' does not have a pipeline with name '${name}'`);
  return pipeline;
}

function validatePipeline(pipeline: any) {
  str(pipeline ?? {}, 'name', PIPELINE_NAME);
  str(pipeline, 'roleArn', /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/);
  if (!Array.isArray(pipeline.stages) || pipeline.stages.length < 2) {
    throw new AwsError('InvalidStructureException', 'A pipeline must contain at least two stages');
  }
  for (const [i, stage] of pipeline.stages.entries()) {
    if (!stage?.name) throw new AwsError('InvalidStructureException', `stages[${i}].name must not be null`);
    if (!Array.isArray(stage.actions) || stage.actions.length === 0) {
      throw new AwsError('InvalidStructureException', `Stage ${stage.name} must contain at least one action`);
    }
    for (const action of stage.actions) {
      if (!CATEGORIES.includes(action?.actionTypeId?.category)) {
        throw new AwsError('InvalidActionDeclarationException', `Action ${action?.name} in stage ${stage.name}: category must be one of ${CATEGORIES.join(', ')}`);
      }
    }
  }
}

/**
 * Runs an execution stage by stage. Deploy actions create or update a
 * SageMaker endpoint in the account the action names (refusing a model
 * package that is not Approved); Test actions check the endpoint answers;
 * Manual approvals wait for PutApprovalResult.
 */
class ExecutionRunner {
  constructor(
    private readonly ctx: RequestContext,
    private readonly pipeline: Json,
    private readonly execution: Json,
  ) {}

  start() {
    this.emit('CodePipeline Pipeline Execution State Change', { state: 'STARTED' });
    this.runStage(0);
  }

  private emit(detailType: string, detail: Json) {
    this.ctx.core.emit(this.ctx.account.id, {
      source: 'aws.codepipeline',
      detailType,
      resources: [this.pipeline.metadata.pipelineArn],
      detail: { pipeline: this.pipeline.pipeline.name, 'execution-id': this.execution.pipelineExecutionId, version: 1, ...detail },
    });
  }

  private runStage(index: number) {
    const stages = this.pipeline.pipeline.stages;
    if (index >= stages.length) {
      this.finish('Succeeded');
      return;
    }
    const stage = stages[index];
    const stageState = this.execution.stageStates[stage.name];
    stageState.status = 'InProgress';
    this.emit('CodePipeline Stage Execution State Change', { stage: stage.name, state: 'STARTED' });
    this.runAction(stage, 0, () => {
      stageState.status = 'Succeeded';
      this.emit('CodePipeline Stage Execution State Change', { stage: stage.name, state: 'SUCCEEDED' });
      this.runStage(index + 1);
    });
  }

  private runAction(stage: Json, index: number, done: () => void) {
    const actions = [...stage.actions].sort((a, b) => (a.runOrder ?? 1) - (b.runOrder ?? 1));
    if (index >= actions.length) {
      done();
      return;
    }
    const action = actions[index];
    const state = this.actionState(stage.name, action.name);
    state.status = 'InProgress';
    state.lastStatusChange = nowSeconds();
    state.actionExecutionId = this.ctx.core.randomId(36);
    this.emitAction(stage.name, action, 'STARTED');
    const next = () => this.runAction(stage, index + 1, done);
    const category = action.actionTypeId.category;
    if (category === 'Approval') {
      state.token = this.ctx.core.randomId(36);
      state.summary = action.configuration?.CustomData ?? 'Waiting for approval';
      this.execution.waiting = { stage: stage.name, action: action.name, token: state.token };
      return;
    }
    this.ctx.core.later(category === 'Deploy' ? 2 : 1, () => {
      try {
        if (category === 'Deploy') this.deploy(action);
        if (category === 'Test' || category === 'Invoke') this.test(action);
        this.succeed(stage.name, action, state);
        next();
      } catch (e: any) {
        this.fail(stage.name, action, state, e.message);
      }
    });
  }

  private actionState(stageName: string, actionName: string): Json {
    const stage = this.execution.stageStates[stageName];
    return (stage.actions[actionName] ??= {});
  }

  private emitAction(stageName: string, action: Json, state: string) {
    this.emit('CodePipeline Action Execution State Change', {
      stage: stageName, action: action.name, state,
      type: { ...action.actionTypeId },
      region: this.ctx.core.region,
    });
  }

  private succeed(stageName: string, action: Json, state: Json) {
    state.status = 'Succeeded';
    state.lastStatusChange = nowSeconds();
    this.emitAction(stageName, action, 'SUCCEEDED');
  }

  private fail(stageName: string, action: Json, state: Json, message: string) {
    state.status = 'Failed';
    state.summary = message;
    state.lastStatusChange = nowSeconds();
    this.execution.stageStates[stageName].status = 'Failed';
    this.emitAction(stageName, action, 'FAILED');
    this.emit('CodePipeline Stage Execution State Change', { stage: stageName, state: 'FAILED' });
    this.finish('Failed', message);
  }

  private finish(status: string, reason?: string) {
    this.execution.status = status;
    this.execution.lastUpdateTime = nowSeconds();
    if (reason) this.execution.statusSummary = reason;
    this.emit('CodePipeline Pipeline Execution State Change', { state: status.toUpperCase() });
  }

  private targetAccount(action: Json) {
    return this.ctx.core.account(String(action.configuration?.AccountId ?? this.ctx.account.id));
  }

  private deploy(action: Json) {
    const target = this.targetAccount(action);
    const endpointName = str(action.configuration ?? {}, 'EndpointName');
    const modelPackage = this.modelPackageToDeploy(action.configuration ?? {});
    const packageArn = modelPackage.ModelPackageArn;
    if (modelPackage.ModelApprovalStatus !== 'Approved') {
      throw new Error(`Model package ${packageArn} is ${modelPackage.ModelApprovalStatus}, not Approved`);
    }
    putEndpoint(this.ctx.core, target, endpointName, modelPackage, {
      instanceCount: Number(action.configuration?.InstanceCount ?? 1),
      pipeline: this.pipeline.pipeline.name,
    });
  }

  /**
   * The package a Deploy action names: a fixed ModelPackageArn, or, as the
   * SageMaker MLOps deploy template does, the newest Approved version of a
   * ModelPackageGroupArn at the time the action runs.
   */
  private modelPackageToDeploy(configuration: Json): Json {
    if (configuration.ModelPackageGroupArn) {
      const [, , , , owner, resource] = String(configuration.ModelPackageGroupArn).split(':');
      const group = resource.replace(/^model-package-group\//, '');
      const approved = Object.values(this.ctx.core.state.accounts[owner]?.modelPackages ?? {})
        .filter(p => p.ModelPackageGroupName === group && p.ModelApprovalStatus === 'Approved')
        .sort((a, b) => b.ModelPackageVersion - a.ModelPackageVersion);
      if (!approved.length) throw new Error(`No Approved model package in ${configuration.ModelPackageGroupArn}`);
      return approved[0];
    }
    const packageArn = str(configuration, 'ModelPackageArn');
    const [, , , , owner] = packageArn.split(':');
    const modelPackage = this.ctx.core.state.accounts[owner]?.modelPackages[packageArn];
    if (!modelPackage) throw new Error(`Model package ${packageArn} does not exist`);
    return modelPackage;
  }

  private test(action: Json) {
    const endpointName = action.configuration?.EndpointName;
    if (!endpointName) return;
    const endpoint = this.targetAccount(action).endpoints[endpointName];
    if (endpoint?.EndpointStatus !== 'InService') {
      throw new Error(`Integration test: endpoint ${endpointName} is not InService`);
    }
  }

  /** Resumes after a manual approval; a rejection fails the execution. */
  approve(stageName: string, actionName: string, status: 'Approved' | 'Rejected', summary: string) {
    const stage = this.pipeline.pipeline.stages.find((s: Json) => s.name === stageName);
    const action = stage.actions.find((a: Json) => a.name === actionName);
    const state = this.actionState(stageName, actionName);
    delete this.execution.waiting;
    state.summary = summary;
    if (status === 'Rejected') {
      this.fail(stageName, action, state, `Rejected: ${summary}`);
      return;
    }
    this.succeed(stageName, action, state);
    const actions = [...stage.actions].sort((a: Json, b: Json) => (a.runOrder ?? 1) - (b.runOrder ?? 1));
    const index = actions.findIndex((a: Json) => a.name === actionName);
    const stageIndex = this.pipeline.pipeline.stages.indexOf(stage);
    this.runAction(stage, index + 1, () => {
      this.execution.stageStates[stageName].status = 'Succeeded';
      this.emit('CodePipeline Stage Execution State Change', { stage: stageName, state: 'SUCCEEDED' });
      this.runStage(stageIndex + 1);
    });
  }
}

function newExecution(ctx: RequestContext, pipeline: Json): Json {
  const id = crypto.randomUUID();
  const execution: Json = {
    pipelineName: pipeline.pipeline.name,
    pipelineVersion: pipeline.pipeline.version,
    pipelineExecutionId: id,
    status: 'InProgress',
    startTime: nowSeconds(),
    lastUpdateTime: nowSeconds(),
    stageStates: Object.fromEntries(pipeline.pipeline.stages.map((s: Json) => [s.name, { status: 'InProgress', actions: {} }])),
  };
  ctx.account.codePipelineExecutions[id] = execution;
  new ExecutionRunner(ctx, pipeline, execution).start();
  return execution;
}

export const codePipelineOperations: OperationTable = {
  CreatePipeline(input, ctx) {
    validatePipeline(input.pipeline);
    const name = input.pipeline.name;
    if (ctx.account.codePipelines[name]) {
      throw new AwsError('PipelineNameInUseException', `A pipeline with the name '${name}' already exists in account '${ctx.account.id}'`);
    }
    const now = nowSeconds();
    const stored = {
      pipeline: { ...input.pipeline, version: 1 },
      metadata: { pipelineArn: ctx.core.arn('codepipeline', ctx.account.id, name), created: now, updated: now },
    };
    ctx.account.codePipelines[name] = stored;
    if (input.tags) ctx.account.tags[stored.metadata.pipelineArn] = input.tags.map((t: Json) => ({ Key: t.key, Value: t.value }));
    ctx.core.changed();
    return { pipeline: stored.pipeline, tags: input.tags };
  },

  GetPipeline(input, ctx) {
    return pipelineOf(ctx.account, str(input, 'name', PIPELINE_NAME));
  },

  ListPipelines(input, ctx) {
    const { page, NextToken } = paginate(sortBy(Object.values(ctx.account.codePipelines).map(p => ({
      name: p.pipeline.name, version: p.pipeline.version, created: p.metadata.created, updated: p.metadata.updated,
    })), 'name', 'Ascending'), { MaxResults: input.maxResults, NextToken: input.nextToken }, 1000);
    return { pipelines: page, nextToken: NextToken };
  },

  StartPipelineExecution(input, ctx) {
    const pipeline = pipelineOf(ctx.account, str(input, 'name', PIPELINE_NAME));
    const execution = newExecution(ctx, pipeline);
    ctx.core.changed();
    return { pipelineExecutionId: execution.pipelineExecutionId };
  },

  GetPipelineState(input, ctx) {
    const pipeline = pipelineOf(ctx.account, str(input, 'name', PIPELINE_NAME));
    const executions = Object.values(ctx.account.codePipelineExecutions)
      .filter(e => e.pipelineName === pipeline.pipeline.name)
      .sort((a, b) => b.startTime - a.startTime);
    const latest = executions[0];
    return {
      pipelineName: pipeline.pipeline.name,
      pipelineVersion: pipeline.pipeline.version,
      created: pipeline.metadata.created,
      updated: pipeline.metadata.updated,
      stageStates: pipeline.pipeline.stages.map((stage: Json) => {
        const state = latest?.stageStates[stage.name];
        return {
          stageName: stage.name,
          inboundTransitionState: { enabled: true },
          latestExecution: state ? { pipelineExecutionId: latest.pipelineExecutionId, status: state.status } : undefined,
          actionStates: stage.actions.map((action: Json) => {
            const a = state?.actions[action.name];
            return {
              actionName: action.name,
              latestExecution: a?.status
                ? { actionExecutionId: a.actionExecutionId, status: a.status, summary: a.summary, lastStatusChange: a.lastStatusChange, token: a.status === 'InProgress' ? a.token : undefined }
                : undefined,
            };
          }),
        };
      }),
    };
  },

  ListPipelineExecutions(input, ctx) {
    const pipeline = pipelineOf(ctx.account, str(input, 'pipelineName', PIPELINE_NAME));
    const runs = Object.values(ctx.account.codePipelineExecutions).filter(e => e.pipelineName === pipeline.pipeline.name);
    const { page, NextToken } = paginate(sortBy(runs, 'startTime'), { MaxResults: input.maxResults, NextToken: input.nextToken });
    return {
      pipelineExecutionSummaries: page.map(e => ({
        pipelineExecutionId: e.pipelineExecutionId, status: e.status, startTime: e.startTime,
        lastUpdateTime: e.lastUpdateTime, statusSummary: e.statusSummary,
      })),
      nextToken: NextToken,
    };
  },

  GetPipelineExecution(input, ctx) {
    pipelineOf(ctx.account, str(input, 'pipelineName', PIPELINE_NAME));
    const execution = ctx.account.codePipelineExecutions[str(input, 'pipelineExecutionId')];
    if (!execution) throw new AwsError('PipelineExecutionNotFoundException', `Pipeline execution ${input.pipelineExecutionId} does not exist`);
    return {
      pipelineExecution: {
        pipelineName: execution.pipelineName, pipelineVersion: execution.pipelineVersion,
        pipelineExecutionId: execution.pipelineExecutionId, status: execution.status, statusSummary: execution.statusSummary,
      },
    };
  },

  PutApprovalResult(input, ctx) {
    const pipeline = pipelineOf(ctx.account, str(input, 'pipelineName', PIPELINE_NAME));
    const stageName = str(input, 'stageName');
    const actionName = str(input, 'actionName');
    const token = str(input, 'token');
    const status = input.result?.status;
    if (status !== 'Approved' && status !== 'Rejected') throw validation(`result.status must be Approved or Rejected`);
    const summary = str(input.result, 'summary');
    const execution = Object.values(ctx.account.codePipelineExecutions).find(
      e => e.pipelineName === pipeline.pipeline.name && e.waiting?.token === token,
    );
    if (!execution || execution.waiting.stage !== stageName || execution.waiting.action !== actionName) {
      throw new AwsError('InvalidApprovalTokenException', `The approval token ${token} is not valid for action ${actionName} in stage ${stageName}`);
    }
    new ExecutionRunner(ctx, pipeline, execution).approve(stageName, actionName, status, summary);
    ctx.core.changed();
    return { approvedAt: nowSeconds() };
  },
};
