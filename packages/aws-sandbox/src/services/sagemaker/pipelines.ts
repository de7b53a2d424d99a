import { createHash } from 'node:crypto';
import { OperationTable, RequestContext } from '../../context';
import type { SandboxCore } from '../../core';
import { AwsError, notFound, validation } from '../../errors';
import { paginate, sortBy } from '../../paginate';
import { Json, nowSeconds } from '../../state';
import { NAME_PATTERN, optStr, ROLE_ARN_PATTERN, str } from '../../validate';
import { putObject } from '../s3';
import { createModelPackage } from './modelRegistry';
import {
  parsePipelineDefinition,
  PipelineDefinition,
  PipelineStep,
  ResolutionScope,
  resolveValue,
} from './pipelineDefinition';

/** Metrics the evaluation "measures": fixed per run so tests can assert them. */
function evaluationMetrics(seed: number) {
  const accuracy = 0.86 + ((seed * 7) % 10) / 100;
  return {
    accuracy: Number(accuracy.toFixed(3)),
    auc: Number((accuracy + 0.03).toFixed(3)),
  };
}

/** An `s3://bucket/key` URI, split. */
function s3Location(uri: unknown): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(String(uri ?? ''));
  return m ? { bucket: m[1], key: m[2] } : undefined;
}

/** The scheduled step that runs a pipeline step (see SandboxCore.schedule). */
const STEP_TASK = 'sagemaker:pipeline-step';

const joinKey = (prefix: string, name: string) =>
  prefix && !prefix.endsWith('/') ? `${prefix}/${name}` : `${prefix}${name}`;

/** A failure of the job a step runs, with the reason SageMaker gives it. */
class StepFailure extends Error {}

/**
 * The file a processing container's command names under an input's local
 * path must come from that input: SageMaker downloads an S3Prefix input's
 * objects, relative to the prefix, into the local path.
 */
function checkEntrypoint(ctx: RequestContext, args: Json) {
  const command: string[] = [
    ...(args.AppSpecification?.ContainerEntrypoint ?? []),
    ...(args.AppSpecification?.ContainerArguments ?? []),
  ];
  for (const file of command.filter(
    c => typeof c === 'string' && c.startsWith('/opt/ml/processing/'),
  )) {
    // The input whose local path holds the file most closely (the code often sits under the data's path).
    const localPath = (i: Json) =>
      String(i.S3Input.LocalPath).replace(/\/$/, '');
    const input = (args.ProcessingInputs ?? [])
      .filter((i: Json) => i.S3Input && file.startsWith(`${localPath(i)}/`))
      .sort((a: Json, b: Json) => localPath(b).length - localPath(a).length)[0];
    const location = input && s3Location(input.S3Input.S3Uri);
    const relative = input ? file.slice(localPath(input).length + 1) : '';
    const objects = location
      ? ctx.core.state.buckets[location.bucket]?.objects ?? {}
      : {};
    const found =
      location &&
      ((objects[location.key] && location.key.split('/').pop() === relative) ||
        objects[joinKey(location.key, relative)]);
    if (!found)
      throw new StepFailure(
        `AlgorithmError: python3: can't open file '${file}': [Errno 2] No such file or directory`,
      );
  }
}

/** An S3Prefix input must hold at least one object, as SageMaker's download requires. */
function checkS3Prefix(ctx: RequestContext, uri: unknown, roleArn: unknown) {
  const location = s3Location(uri);
  const objects = location
    ? Object.keys(ctx.core.state.buckets[location.bucket]?.objects ?? {})
    : [];
  if (!location || !objects.some(k => k.startsWith(location.key))) {
    throw new StepFailure(
      `ClientError: Data download failed:No S3 objects found under S3 URL "${uri}" given in input data source. Please ensure that the bucket exists in the selected region (${ctx.core.region}), that objects exist under that S3 prefix, and that the role "${roleArn}" has "s3:ListBucket" permissions on bucket "${location?.bucket}".`,
    );
  }
}

function put(
  ctx: RequestContext,
  uri: string,
  body: unknown,
  contentType: string,
) {
  const location = s3Location(uri)!;
  putObject(
    ctx.core,
    ctx.account.id,
    location.bucket,
    location.key,
    Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    contentType,
  );
}

/** A lineage entity: an artifact (one per source URI) or a job's trial component. */
interface LineageEntity {
  arn: string;
  type: string;
  name: string;
}

function artifact(
  ctx: RequestContext,
  uri: string,
  type: string,
): LineageEntity {
  return {
    arn: ctx.core.arn(
      'sagemaker',
      ctx.account.id,
      `artifact/${createHash('md5').update(uri).digest('hex')}`,
    ),
    type,
    name: uri,
  };
}

function associate(
  ctx: RequestContext,
  source: LineageEntity,
  destination: LineageEntity,
  type: 'ContributedTo' | 'Produced',
) {
  ctx.account.associations.push({
    SourceArn: source.arn,
    SourceType: source.type,
    SourceName: source.name,
    DestinationArn: destination.arn,
    DestinationType: destination.type,
    DestinationName: destination.name,
    AssociationType: type,
    CreationTime: nowSeconds(),
  });
}

/**
 * The lineage SageMaker records for a job: its trial component, an artifact
 * per S3 location it reads or writes, each input ContributedTo the job and the
 * job Produced each output.
 * https://docs.aws.amazon.com/sagemaker/latest/dg/lineage-tracking-auto-creation.html
 */
function recordJobLineage(
  ctx: RequestContext,
  job: LineageEntity,
  inputs: LineageEntity[],
  outputs: LineageEntity[],
) {
  for (const input of inputs) associate(ctx, input, job, 'ContributedTo');
  for (const output of outputs) associate(ctx, job, output, 'Produced');
}

const trialComponent = (
  ctx: RequestContext,
  job: string,
  kind: 'Processing' | 'Training',
): LineageEntity => ({
  arn: ctx.core.arn(
    'sagemaker',
    ctx.account.id,
    `experiment-trial-component/${job.toLowerCase()}-aws-${kind.toLowerCase()}-job`,
  ),
  type: `SageMaker${kind}Job`,
  name: job,
});

/**
 * Runs a pipeline execution through its steps, one simulated job each, in
 * dependency order. Each step's arguments are resolved against the
 * parameters, the execution and the earlier steps' properties; each job
 * leaves what the real one leaves: a processing job its outputs (a property
 * file holding the measured metrics), a training job its model artifact under
 * `<S3OutputPath>/<job name>/output/`, RegisterModel a model package with the
 * metrics and a bias report; each records lineage as SageMaker does.
 * What the steps share (parameters, the earlier steps' properties, the
 * caller who started it) is kept in the execution, and each step is a
 * scheduled step, so a restarted sandbox continues the execution.
 */
function startSimulation(
  ctx: RequestContext,
  execution: Json,
  definition: string,
  parameters: Record<string, string>,
) {
  execution.Steps = [];
  execution.Simulation = {
    definition,
    parameters,
    metrics: evaluationMetrics(ctx.core.nextSequence()),
    caller: ctx.caller,
    steps: {},
    propertyFiles: {},
  };
  enterStep(ctx, execution, 0);
}

/** Marks step `index` Executing and schedules it, or ends the execution after its last step. */
function enterStep(ctx: RequestContext, execution: Json, index: number) {
  const { steps } = parsePipelineDefinition(execution.Simulation.definition);
  if (index >= steps.length) {
    execution.PipelineExecutionStatus = 'Succeeded';
    execution.LastModifiedTime = nowSeconds();
    return;
  }
  execution.Steps.unshift({
    StepName: steps[index].Name,
    StepDisplayName: steps[index].Name,
    StartTime: nowSeconds(),
    StepStatus: 'Executing',
    Metadata: {},
  });
  ctx.core.schedule(1, STEP_TASK, {
    account: ctx.account.id,
    execution: execution.PipelineExecutionArn,
    step: index,
  });
}

/** Runs a scheduled pipeline step (see SandboxCore.schedule) as the caller who started the execution. */
export function runScheduledStep(core: SandboxCore, args: Json) {
  const account = core.state.accounts[args.account];
  const execution = account?.pipelineExecutions[args.execution];
  if (execution?.PipelineExecutionStatus !== 'Executing') return;
  runStep(
    { core, account, caller: execution.Simulation.caller },
    execution,
    args.step,
  );
}

/** What a step's job works with: the request's context, the execution, and what its steps resolve against. */
interface StepRun {
  ctx: RequestContext;
  execution: Json;
  metrics: Json;
  parameters: Json;
  scope: ResolutionScope;
  /** SageMaker's default bucket of the account, and the run's prefix in it. */
  bucket: string;
  prefix: string;
}

type JobResult = { properties: Json; metadata: Json };

/** Each output of a processing job: its property files (the evaluation report, in SageMaker's model quality format), else a CSV. */
function writeProcessingOutputs(
  run: StepRun,
  step: PipelineStep,
  args: Json,
  job: string,
) {
  const { ctx, metrics, scope } = run;
  for (const output of args.ProcessingOutputConfig?.Outputs ?? []) {
    const uri = output.S3Output?.S3Uri;
    if (!s3Location(uri)) continue;
    const files = (step.PropertyFiles ?? []).filter(
      f => f.OutputName === output.OutputName,
    );
    for (const file of files) {
      const report = {
        binary_classification_metrics: {
          accuracy: { value: metrics.accuracy },
          auc: { value: metrics.auc },
        },
      };
      put(
        ctx,
        joinKey(s3Location(uri)!.key ? uri : `${uri}/`, file.FilePath),
        report,
        'application/json',
      );
      scope.propertyFiles[`${step.Name}.${file.PropertyFileName}`] = report;
    }
    if (!files.length)
      put(
        ctx,
        joinKey(uri, `${output.OutputName}.csv`),
        `${output.OutputName} written by ${job}\n`,
        'text/csv',
      );
  }
}

/** A processing job: its inputs checked, its outputs written, its lineage recorded. */
function processingJob(
  run: StepRun,
  step: PipelineStep,
  args: Json,
  job: string,
): JobResult {
  const { ctx } = run;
  checkEntrypoint(ctx, args);
  for (const input of args.ProcessingInputs ?? []) {
    if (input.S3Input?.S3DataType === 'S3Prefix')
      checkS3Prefix(ctx, input.S3Input.S3Uri, args.RoleArn);
  }
  writeProcessingOutputs(run, step, args, job);
  recordJobLineage(
    ctx,
    trialComponent(ctx, job, 'Processing'),
    (args.ProcessingInputs ?? [])
      .filter((i: Json) => s3Location(i.S3Input?.S3Uri))
      .map((i: Json) => artifact(ctx, i.S3Input.S3Uri, 'DataSet')),
    (args.ProcessingOutputConfig?.Outputs ?? [])
      .filter((o: Json) => s3Location(o.S3Output?.S3Uri))
      .map((o: Json) => artifact(ctx, o.S3Output.S3Uri, 'DataSet')),
  );
  const arn = ctx.core.arn(
    'sagemaker',
    ctx.account.id,
    `processing-job/${job.toLowerCase()}`,
  );
  return {
    properties: {
      ProcessingJobName: job,
      ProcessingJobArn: arn,
      ProcessingJobStatus: 'Completed',
      ...args,
    },
    metadata: { ProcessingJob: { Arn: arn } },
  };
}

/** A training job: its channels checked, a model artifact written where SageMaker writes it, its lineage recorded. */
function trainingJob(
  run: StepRun,
  _step: PipelineStep,
  args: Json,
  job: string,
): JobResult {
  const { ctx, execution } = run;
  for (const channel of args.InputDataConfig ?? []) {
    const source = channel.DataSource?.S3DataSource;
    if (source?.S3DataType === 'S3Prefix')
      checkS3Prefix(ctx, source.S3Uri, args.RoleArn);
  }
  const outputPath = String(args.OutputDataConfig.S3OutputPath ?? '');
  if (!s3Location(outputPath))
    throw new StepFailure(
      `ClientError: OutputDataConfig.S3OutputPath ${outputPath} is not an S3 URI`,
    );
  const modelData = `${outputPath.replace(
    /\/$/,
    '',
  )}/${job}/output/model.tar.gz`;
  put(
    ctx,
    modelData,
    `model trained by ${execution.PipelineExecutionArn}`,
    'application/gzip',
  );
  recordJobLineage(
    ctx,
    trialComponent(ctx, job, 'Training'),
    (args.InputDataConfig ?? [])
      .filter((c: Json) => s3Location(c.DataSource?.S3DataSource?.S3Uri))
      .map((c: Json) =>
        artifact(ctx, c.DataSource.S3DataSource.S3Uri, 'DataSet'),
      ),
    [artifact(ctx, modelData, 'Model')],
  );
  const arn = ctx.core.arn(
    'sagemaker',
    ctx.account.id,
    `training-job/${job.toLowerCase()}`,
  );
  return {
    properties: {
      TrainingJobName: job,
      TrainingJobArn: arn,
      TrainingJobStatus: 'Completed',
      SecondaryStatus: 'Completed',
      ...args,
      ModelArtifacts: { S3ModelArtifacts: modelData },
    },
    metadata: { TrainingJob: { Arn: arn } },
  };
}

/** A model, made from the step's arguments. */
function modelJob(
  run: StepRun,
  _step: PipelineStep,
  args: Json,
  job: string,
): JobResult {
  const { ctx } = run;
  const arn = ctx.core.arn(
    'sagemaker',
    ctx.account.id,
    `model/${job.toLowerCase()}`,
  );
  return {
    properties: { ModelName: job, ModelArn: arn, ...args },
    metadata: { Model: { Arn: arn } },
  };
}

/** A model package registered as the step asks, with the run's metrics and a bias report, derived from the model data it serves. */
function registerModelJob(
  run: StepRun,
  _step: PipelineStep,
  args: Json,
): JobResult {
  const { ctx, execution, metrics, parameters, bucket, prefix } = run;
  const bias = `s3://${bucket}/${prefix}/bias.json`;
  put(ctx, bias, { class_imbalance: 0.04 }, 'application/json');
  const declaredMetadata = Object.entries<unknown>(
    args.CustomerMetadataProperties ?? {},
  )
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [k, String(v)]);
  const { ModelPackageArn } = createModelPackage(ctx, {
    ModelPackageGroupName: args.ModelPackageGroupName,
    ModelPackageDescription:
      args.ModelPackageDescription ?? `Registered by ${execution.PipelineName}`,
    ModelApprovalStatus: args.ModelApprovalStatus ?? 'PendingManualApproval',
    InferenceSpecification: args.InferenceSpecification,
    // The bias report stands for the Clarify check a real pipeline runs before registering.
    ModelMetrics: {
      ...args.ModelMetrics,
      Bias: { Report: { ContentType: 'application/json', S3Uri: bias } },
    },
    CustomerMetadataProperties: {
      accuracy: String(metrics.accuracy),
      auc: String(metrics.auc),
      'pipeline-execution-arn': execution.PipelineExecutionArn,
      ...(parameters.InputDataUrl
        ? { 'training-data': parameters.InputDataUrl }
        : {}),
      ...Object.fromEntries(declaredMetadata),
    },
    MetadataProperties: {
      GeneratedBy: execution.PipelineExecutionArn,
      ProjectId: execution.ProjectId,
    },
  });
  // The model package's artifact, derived from the model data it serves.
  const registered = artifact(ctx, ModelPackageArn, 'ModelPackage');
  for (const container of args.InferenceSpecification.Containers) {
    if (s3Location(container.ModelDataUrl))
      associate(
        ctx,
        artifact(ctx, container.ModelDataUrl, 'Model'),
        registered,
        'ContributedTo',
      );
  }
  return {
    properties: {
      ModelPackageArn,
      ModelPackageName: args.ModelPackageGroupName,
    },
    metadata: { RegisterModel: { Arn: ModelPackageArn } },
  };
}

/** The Fail step ends the execution with its message. */
function failJob(_run: StepRun, _step: PipelineStep, args: Json): JobResult {
  throw new StepFailure(
    String(args.ErrorMessage ?? 'The Fail step ended the execution'),
  );
}

const JOBS: Record<
  string,
  (run: StepRun, step: PipelineStep, args: Json, job: string) => JobResult
> = {
  Processing: processingJob,
  Training: trainingJob,
  Model: modelJob,
  RegisterModel: registerModelJob,
  Fail: failJob,
};

function runStep(ctx: RequestContext, execution: Json, index: number) {
  const { metrics, parameters } = execution.Simulation;
  const definition: PipelineDefinition = parsePipelineDefinition(
    execution.Simulation.definition,
  );
  const executionId = execution.PipelineExecutionArn.split('/').pop();
  const bucket = `sagemaker-${ctx.core.region}-${ctx.account.id}`;
  const prefix = `${execution.PipelineName}/${executionId}`;
  const scope: ResolutionScope = {
    parameters,
    execution: {
      PipelineExecutionId: executionId,
      PipelineExecutionArn: execution.PipelineExecutionArn,
      PipelineName: execution.PipelineName,
      PipelineArn: execution.PipelineArn,
      StartDateTime: new Date(execution.CreationTime * 1000).toISOString(),
      CurrentDateTime: new Date().toISOString(),
    },
    steps: execution.Simulation.steps,
    propertyFiles: execution.Simulation.propertyFiles,
  };
  const run: StepRun = {
    ctx,
    execution,
    metrics,
    parameters,
    scope,
    bucket,
    prefix,
  };

  const step = definition.steps[index];
  const state = execution.Steps.find(
    (s: Json) => s.StepName === step.Name && s.StepStatus === 'Executing',
  );
  try {
    const job = JOBS[step.Type];
    if (!job)
      throw new StepFailure(`The sandbox does not simulate ${step.Type} steps`);
    const args = resolveValue(step.Arguments ?? {}, scope);
    const { properties, metadata } = job(
      run,
      step,
      args,
      `pipelines-${executionId}-${step.Name}`,
    );
    scope.steps[step.Name] = properties;
    state.Metadata = metadata;
    state.StepStatus = 'Succeeded';
    state.EndTime = nowSeconds();
    enterStep(ctx, execution, index + 1);
  } catch (e: any) {
    state.StepStatus = 'Failed';
    state.FailureReason = e.message;
    state.EndTime = nowSeconds();
    execution.PipelineExecutionStatus = 'Failed';
    execution.FailureReason = `Step ${step.Name} failed: ${e.message}`;
    execution.LastModifiedTime = nowSeconds();
  }
}

function pipeline(ctx: RequestContext, name: string) {
  const found = ctx.account.pipelines[name];
  if (!found)
    throw notFound('ResourceNotFound', `Pipeline ${name} does not exist.`);
  return found;
}

function executionOf(ctx: RequestContext, arn: string) {
  const found = ctx.account.pipelineExecutions[arn];
  if (!found)
    throw notFound(
      'ResourceNotFound',
      `Pipeline execution ${arn} does not exist.`,
    );
  return found;
}

export const pipelineOperations: OperationTable = {
  CreatePipeline(input, ctx) {
    const name = str(input, 'PipelineName', NAME_PATTERN);
    str(input, 'RoleArn', ROLE_ARN_PATTERN);
    parsePipelineDefinition(str(input, 'PipelineDefinition'));
    if (ctx.account.pipelines[name]) {
      throw new AwsError('ResourceInUse', `Pipeline ${name} already exists.`);
    }
    const arn = ctx.core.arn(
      'sagemaker',
      ctx.account.id,
      `pipeline/${name.toLowerCase()}`,
    );
    ctx.account.pipelines[name] = {
      PipelineArn: arn,
      PipelineName: name,
      PipelineDisplayName: name,
      PipelineDefinition: input.PipelineDefinition,
      PipelineDescription: input.PipelineDescription,
      RoleArn: input.RoleArn,
      PipelineStatus: 'Active',
      CreationTime: nowSeconds(),
      LastModifiedTime: nowSeconds(),
      CreatedBy: { UserProfileName: ctx.caller.arn },
    };
    if (input.Tags) ctx.account.tags[arn] = input.Tags;
    ctx.core.changed();
    return { PipelineArn: arn };
  },

  DescribePipeline(input, ctx) {
    return pipeline(ctx, str(input, 'PipelineName'));
  },

  UpdatePipeline(input, ctx) {
    const found = pipeline(ctx, str(input, 'PipelineName'));
    const definition = optStr(input, 'PipelineDefinition');
    if (definition !== undefined) parsePipelineDefinition(definition);
    const roleArn = optStr(input, 'RoleArn', ROLE_ARN_PATTERN);
    Object.assign(found, {
      ...(definition !== undefined ? { PipelineDefinition: definition } : {}),
      ...(roleArn ? { RoleArn: roleArn } : {}),
      ...(input.PipelineDescription !== undefined
        ? { PipelineDescription: input.PipelineDescription }
        : {}),
      ...(input.PipelineDisplayName !== undefined
        ? { PipelineDisplayName: input.PipelineDisplayName }
        : {}),
      LastModifiedTime: nowSeconds(),
      LastModifiedBy: { UserProfileName: ctx.caller.arn },
    });
    ctx.core.changed();
    return { PipelineArn: found.PipelineArn };
  },

  StartPipelineExecution(input, ctx) {
    const found = pipeline(ctx, str(input, 'PipelineName'));
    const token = optStr(input, 'ClientRequestToken');
    if (token) {
      const existing = Object.values(ctx.account.pipelineExecutions).find(
        e => e.ClientRequestToken === token,
      );
      if (existing)
        return { PipelineExecutionArn: existing.PipelineExecutionArn };
    }
    const definition = parsePipelineDefinition(found.PipelineDefinition);
    const parameters = { ...definition.defaults };
    for (const p of input.PipelineParameters ?? []) {
      if (!p?.Name) throw validation('PipelineParameters entries need a Name');
      if (!definition.parameters.includes(p.Name))
        throw validation(
          `Pipeline ${found.PipelineName} declares no parameter ${p.Name}`,
        );
      parameters[p.Name] = String(p.Value ?? '');
    }
    const arn = `${found.PipelineArn}/execution/${ctx.core.randomId(12)}`;
    const now = nowSeconds();
    const run: Json = {
      PipelineArn: found.PipelineArn,
      PipelineName: found.PipelineName,
      PipelineExecutionArn: arn,
      PipelineExecutionDisplayName:
        input.PipelineExecutionDisplayName ?? arn.split('/').pop(),
      PipelineExecutionStatus: 'Executing',
      CreationTime: now,
      LastModifiedTime: now,
      PipelineParameters: input.PipelineParameters ?? [],
      ClientRequestToken: token,
      CreatedBy: { UserProfileName: ctx.caller.arn },
    };
    // As in SageMaker, a project's pipeline (tagged with its project id) registers versions of that project.
    const projectId = (ctx.account.tags[found.PipelineArn] ?? []).find(
      (t: Json) => t.Key === 'sagemaker:project-id',
    )?.Value;
    if (projectId) run.ProjectId = projectId;
    ctx.account.pipelineExecutions[arn] = run;
    startSimulation(ctx, run, found.PipelineDefinition, parameters);
    ctx.core.changed();
    return { PipelineExecutionArn: arn };
  },

  ListPipelineExecutions(input, ctx) {
    const found = pipeline(ctx, str(input, 'PipelineName'));
    const runs = Object.values(ctx.account.pipelineExecutions).filter(
      e => e.PipelineArn === found.PipelineArn,
    );
    const { page, NextToken } = paginate(
      sortBy(runs, 'CreationTime', input.SortOrder),
      input,
    );
    return {
      PipelineExecutionSummaries: page.map(e => ({
        PipelineExecutionArn: e.PipelineExecutionArn,
        StartTime: e.CreationTime,
        PipelineExecutionStatus: e.PipelineExecutionStatus,
        PipelineExecutionDisplayName: e.PipelineExecutionDisplayName,
        PipelineExecutionFailureReason: e.FailureReason,
      })),
      NextToken,
    };
  },

  DescribePipelineExecution(input, ctx) {
    // The run's steps, token, parameters and project are kept for the simulation; DescribePipelineExecution reports none of them.
    const {
      Steps: _s,
      ClientRequestToken: _t,
      PipelineName: _n,
      PipelineParameters: _p,
      ProjectId: _i,
      Simulation: _m,
      ...run
    } = executionOf(ctx, str(input, 'PipelineExecutionArn'));
    return run;
  },

  ListPipelineExecutionSteps(input, ctx) {
    const run = executionOf(ctx, str(input, 'PipelineExecutionArn'));
    const { page, NextToken } = paginate(run.Steps ?? [], input);
    return { PipelineExecutionSteps: page, NextToken };
  },
};
