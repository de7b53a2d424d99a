import { OperationTable, RequestContext } from '../../context';
import { AwsError, notFound, validation } from '../../errors';
import { paginate, sortBy } from '../../paginate';
import { Json, nowSeconds } from '../../state';
import { NAME_PATTERN, optStr, str } from '../../validate';
import { putObject } from '../s3';
import { createModelPackage } from './modelRegistry';

type Step = { Name: string; Type: string; Arguments?: Json };

/** The parameters a definition declares, with their defaults. */
function parameterDefaults(text: string): Record<string, string> {
  const declared: Json[] = JSON.parse(text).Parameters ?? [];
  return Object.fromEntries(declared.filter(p => p?.Name && p.DefaultValue !== undefined).map(p => [p.Name, String(p.DefaultValue)]));
}

/** A step argument: a literal, or a `{ "Get": "Parameters.<name>" }` reference. */
function resolve(value: unknown, parameters: Record<string, string>): string | undefined {
  if (value && typeof value === 'object' && typeof (value as Json).Get === 'string') {
    return parameters[String((value as Json).Get).replace(/^Parameters\./, '')];
  }
  return value === undefined ? undefined : String(value);
}

function parseDefinition(text: string): Step[] {
  let definition: any;
  try {
    definition = JSON.parse(text);
  } catch {
    throw validation('PipelineDefinition must be a JSON document');
  }
  const steps = definition?.Steps;
  if (!Array.isArray(steps) || steps.length === 0) {
    throw validation('PipelineDefinition must have at least one step in Steps');
  }
  for (const [i, s] of steps.entries()) {
    if (!s?.Name || !s?.Type) throw validation(`PipelineDefinition.Steps[${i}] needs a Name and a Type`);
  }
  return steps;
}

/** Metrics the evaluation step "measures": fixed per run so tests can assert them. */
function evaluationMetrics(seed: number) {
  const accuracy = 0.86 + ((seed * 7) % 10) / 100;
  return { accuracy: Number(accuracy.toFixed(3)), auc: Number((accuracy + 0.03).toFixed(3)) };
}

/**
 * Runs a pipeline execution through its steps, one simulated step each. The
 * RegisterModel step writes the model artifact to S3, registers a model
 * package with the evaluation's metrics, and records lineage from the input
 * data through the run to the package.
 */
function simulate(ctx: RequestContext, execution: Json, steps: Step[], parameters: Record<string, string>) {
  const stepStates: Json[] = [];
  execution.Steps = stepStates;
  const seed = ctx.core.nextSequence();
  const metrics = evaluationMetrics(seed);
  const bucket = `sagemaker-${ctx.core.region}-${ctx.account.id}`;
  const prefix = `${execution.PipelineName}/${execution.PipelineExecutionArn.split('/').pop()}`;

  const runStep = (index: number) => {
    if (index >= steps.length) {
      execution.PipelineExecutionStatus = 'Succeeded';
      execution.LastModifiedTime = nowSeconds();
      return;
    }
    const step = steps[index];
    const state: Json = { StepName: step.Name, StepDisplayName: step.Name, StartTime: nowSeconds(), StepStatus: 'Executing', Metadata: {} };
    stepStates.unshift(state);
    ctx.core.later(1, () => {
      try {
        if (step.Type === 'RegisterModel') {
          const groupName = resolve(step.Arguments?.ModelPackageGroupName, parameters) ?? parameters.ModelPackageGroupName ?? '';
          const declaredMetadata = Object.entries(step.Arguments?.CustomerMetadataProperties ?? {})
            .map(([k, v]) => [k, resolve(v, parameters)])
            .filter((e): e is [string, string] => e[1] !== undefined);
          const artifact = `s3://${bucket}/${prefix}/model.tar.gz`;
          putObject(ctx.core, ctx.account.id, bucket, `${prefix}/model.tar.gz`, Buffer.from(`model trained by ${execution.PipelineExecutionArn}`), 'application/gzip');
          const { ModelPackageArn } = createModelPackage(ctx, {
            ModelPackageGroupName: groupName,
            ModelPackageDescription: `Registered by ${execution.PipelineName}`,
            ModelApprovalStatus: resolve(step.Arguments?.ModelApprovalStatus, parameters) ?? 'PendingManualApproval',
            InferenceSpecification: {
              Containers: [{ Image: step.Arguments?.Image ?? '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1', ModelDataUrl: artifact }],
              SupportedContentTypes: ['text/csv'],
              SupportedResponseMIMETypes: ['text/csv'],
            },
            ModelMetrics: {
              ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: `s3://${bucket}/${prefix}/evaluation.json` } },
              Bias: { Report: { ContentType: 'application/json', S3Uri: `s3://${bucket}/${prefix}/bias.json` } },
            },
            CustomerMetadataProperties: {
              accuracy: String(metrics.accuracy),
              auc: String(metrics.auc),
              'pipeline-execution-arn': execution.PipelineExecutionArn,
              ...(parameters.InputDataUrl ? { 'training-data': parameters.InputDataUrl } : {}),
              ...Object.fromEntries(declaredMetadata),
            },
            MetadataProperties: { GeneratedBy: execution.PipelineExecutionArn, ProjectId: execution.ProjectId },
          });
          putObject(ctx.core, ctx.account.id, bucket, `${prefix}/evaluation.json`, Buffer.from(JSON.stringify(metrics)), 'application/json');
          putObject(ctx.core, ctx.account.id, bucket, `${prefix}/bias.json`, Buffer.from(JSON.stringify({ class_imbalance: 0.04 })), 'application/json');
          state.Metadata = { RegisterModel: { Arn: ModelPackageArn } };
          recordLineage(ctx, parameters.InputDataUrl, execution.PipelineExecutionArn, ModelPackageArn);
        }
        state.StepStatus = 'Succeeded';
        state.EndTime = nowSeconds();
        runStep(index + 1);
      } catch (e: any) {
        state.StepStatus = 'Failed';
        state.FailureReason = e.message;
        execution.PipelineExecutionStatus = 'Failed';
        execution.FailureReason = `Step ${step.Name} failed: ${e.message}`;
      }
    });
  };
  runStep(0);
}

function recordLineage(ctx: RequestContext, dataUrl: string | undefined, executionArn: string, packageArn: string) {
  const now = nowSeconds();
  if (dataUrl) {
    ctx.account.associations.push({
      SourceArn: dataUrl, SourceType: 'DataSet', SourceName: dataUrl,
      DestinationArn: executionArn, DestinationType: 'PipelineExecution',
      AssociationType: 'ContributedTo', CreationTime: now,
    });
  }
  ctx.account.associations.push({
    SourceArn: executionArn, SourceType: 'PipelineExecution',
    DestinationArn: packageArn, DestinationType: 'ModelPackage',
    AssociationType: 'Produced', CreationTime: now,
  });
}

function pipeline(ctx: RequestContext, name: string) {
  const found = ctx.account.pipelines[name];
  if (!found) throw notFound('ResourceNotFound', `Pipeline ${name} does not exist.`);
  return found;
}

function executionOf(ctx: RequestContext, arn: string) {
  const found = ctx.account.pipelineExecutions[arn];
  if (!found) throw notFound('ResourceNotFound', `Pipeline execution ${arn} does not exist.`);
  return found;
}

export const pipelineOperations: OperationTable = {
  CreatePipeline(input, ctx) {
    const name = str(input, 'PipelineName', NAME_PATTERN);
    str(input, 'RoleArn', /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/);
    parseDefinition(str(input, 'PipelineDefinition'));
    if (ctx.account.pipelines[name]) {
      throw new AwsError('ResourceInUse', `Pipeline ${name} already exists.`);
    }
    const arn = ctx.core.arn('sagemaker', ctx.account.id, `pipeline/${name.toLowerCase()}`);
    ctx.account.pipelines[name] = {
      PipelineArn: arn, PipelineName: name, PipelineDisplayName: name,
      PipelineDefinition: input.PipelineDefinition, PipelineDescription: input.PipelineDescription,
      RoleArn: input.RoleArn, PipelineStatus: 'Active',
      CreationTime: nowSeconds(), LastModifiedTime: nowSeconds(),
      CreatedBy: { UserProfileName: ctx.caller.arn },
    };
    if (input.Tags) ctx.account.tags[arn] = input.Tags;
    ctx.core.changed();
    return { PipelineArn: arn };
  },

  DescribePipeline(input, ctx) {
    return pipeline(ctx, str(input, 'PipelineName'));
  },

  StartPipelineExecution(input, ctx) {
    const found = pipeline(ctx, str(input, 'PipelineName'));
    const token = optStr(input, 'ClientRequestToken');
    if (token) {
      const existing = Object.values(ctx.account.pipelineExecutions).find(e => e.ClientRequestToken === token);
      if (existing) return { PipelineExecutionArn: existing.PipelineExecutionArn };
    }
    const parameters = parameterDefaults(found.PipelineDefinition);
    for (const p of input.PipelineParameters ?? []) {
      if (!p?.Name) throw validation('PipelineParameters entries need a Name');
      parameters[p.Name] = String(p.Value ?? '');
    }
    const arn = `${found.PipelineArn}/execution/${ctx.core.randomId(12)}`;
    const now = nowSeconds();
    const run: Json = {
      PipelineArn: found.PipelineArn, PipelineName: found.PipelineName, PipelineExecutionArn: arn,
      PipelineExecutionDisplayName: input.PipelineExecutionDisplayName ?? arn.split('/').pop(),
      PipelineExecutionStatus: 'Executing', CreationTime: now, LastModifiedTime: now,
      PipelineParameters: input.PipelineParameters ?? [], ClientRequestToken: token,
      CreatedBy: { UserProfileName: ctx.caller.arn },
    };
    // As in SageMaker, a project's pipeline (tagged with its project id) registers versions of that project.
    const projectId = (ctx.account.tags[found.PipelineArn] ?? []).find((t: Json) => t.Key === 'sagemaker:project-id')?.Value;
    if (projectId) run.ProjectId = projectId;
    ctx.account.pipelineExecutions[arn] = run;
    simulate(ctx, run, parseDefinition(found.PipelineDefinition), parameters);
    ctx.core.changed();
    return { PipelineExecutionArn: arn };
  },

  ListPipelineExecutions(input, ctx) {
    const found = pipeline(ctx, str(input, 'PipelineName'));
    const runs = Object.values(ctx.account.pipelineExecutions).filter(e => e.PipelineArn === found.PipelineArn);
    const { page, NextToken } = paginate(sortBy(runs, 'CreationTime', input.SortOrder), input);
    return {
      PipelineExecutionSummaries: page.map(e => ({
        PipelineExecutionArn: e.PipelineExecutionArn, StartTime: e.CreationTime,
        PipelineExecutionStatus: e.PipelineExecutionStatus, PipelineExecutionDisplayName: e.PipelineExecutionDisplayName,
        PipelineExecutionFailureReason: e.FailureReason,
      })),
      NextToken,
    };
  },

  DescribePipelineExecution(input, ctx) {
    const { Steps: _steps, ClientRequestToken: _t, ...run } = executionOf(ctx, str(input, 'PipelineExecutionArn'));
    return run;
  },

  ListPipelineExecutionSteps(input, ctx) {
    const run = executionOf(ctx, str(input, 'PipelineExecutionArn'));
    const { page, NextToken } = paginate(run.Steps ?? [], input);
    return { PipelineExecutionSteps: page, NextToken };
  },
};
