import { parseResourceArn } from '@ml-governance/plugin-ml-registry-common';

/**
 * Where an experiment's training data comes from. Each becomes a location
 * string the registry records on every version (`training-data`) and the
 * catalog turns into a dataset entity.
 */
export type DataSource =
  | { type: 's3'; uri: string }
  | {
      type: 'athena';
      accountId: string;
      database: string;
      table: string;
      workgroup?: string;
    }
  | {
      type: 'datazone';
      domainId: string;
      assetId: string;
      database: string;
      table: string;
    }
  | { type: 'feature-store'; featureGroupArn: string };

/** The data source as one location: s3://, athena://account/db.table, datazone://domain/asset or a feature group ARN. */
export function dataSourceLocation(source: DataSource): string {
  switch (source.type) {
    case 's3':
      return source.uri;
    case 'athena':
      return `athena://${source.accountId}/${source.database}.${source.table}`;
    case 'datazone':
      return `datazone://${source.domainId}/${source.assetId}`;
    default:
      return source.featureGroupArn;
  }
}

const SKLEARN =
  '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';
const XGBOOST =
  '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';

/**
 * How the processing step reads the data: files from S3, or a query through
 * Athena for tables (an Athena data lake, a table DataZone subscribed the
 * project to, or the feature group's offline store).
 */
function dataInput(source: DataSource, workUri: string) {
  const athena = (database: string, query: string, workgroup = 'primary') => ({
    InputName: 'dataset',
    DatasetDefinition: {
      AthenaDatasetDefinition: {
        Catalog: 'AwsDataCatalog',
        Database: database,
        QueryString: query,
        WorkGroup: workgroup,
        OutputS3Uri: `${workUri}/athena-results/`,
        OutputFormat: 'PARQUET',
      },
      LocalPath: '/opt/ml/processing/input',
      DataDistributionType: 'FullyReplicated',
      InputMode: 'File',
    },
  });
  switch (source.type) {
    case 's3':
      return {
        InputName: 'dataset',
        S3Input: {
          S3Uri: { Get: 'Parameters.InputDataUrl' },
          LocalPath: '/opt/ml/processing/input',
          S3DataType: 'S3Prefix',
          S3InputMode: 'File',
        },
      };
    case 'athena':
      return athena(
        source.database,
        `SELECT * FROM "${source.database}"."${source.table}"`,
        source.workgroup,
      );
    case 'datazone':
      return athena(
        source.database,
        `SELECT * FROM "${source.database}"."${source.table}"`,
      );
    default: {
      // The offline store of a feature group is a Glue table named after the group.
      const name = parseResourceArn(
        source.featureGroupArn,
        'sagemaker',
        'feature-group',
      )!.id;
      return athena(
        'sagemaker_featurestore',
        `SELECT * FROM "sagemaker_featurestore"."${name.replace(
          /-/g,
          '_',
        )}" WHERE NOT is_deleted`,
      );
    }
  }
}

/** The seed code's files, by the step that runs them. */
export const SEED_SCRIPTS = {
  Preprocess: 'preprocess.py',
  Evaluate: 'evaluate.py',
} as const;

/** What the steps of an experiment pipeline share. */
interface PipelineOptions {
  source: DataSource;
  modelPackageGroupName: string;
  roleArn: string;
  /** The S3 prefix the pipeline works under (athena results, each run's outputs), without a trailing slash. */
  workUri: string;
  /** The S3 prefix holding the seed scripts, without a trailing slash. */
  codeUri: string;
  instanceType: string;
}

const cluster = (instanceType: string) => ({
  ClusterConfig: {
    InstanceType: instanceType,
    InstanceCount: 1,
    VolumeSizeInGB: 30,
  },
});

/** Where a run writes a step's output: under `<workUri>/<execution id>/`. */
const runUri = (workUri: string, ...path: string[]) => ({
  'Std:Join': {
    On: '/',
    Values: [workUri, { Get: 'Execution.PipelineExecutionId' }, ...path],
  },
});

const processingOutput = (workUri: string, name: string) => ({
  OutputName: name,
  S3Output: {
    S3Uri: runUri(workUri, name),
    LocalPath: `/opt/ml/processing/${name}`,
    S3UploadMode: 'EndOfJob',
  },
});

const s3Input = (name: string, uri: unknown, localPath: string) => ({
  InputName: name,
  AppManaged: false,
  S3Input: {
    S3Uri: uri,
    LocalPath: localPath,
    S3DataType: 'S3Prefix',
    S3InputMode: 'File',
    S3DataDistributionType: 'FullyReplicated',
  },
});

/** A processing step's script: downloaded from the seed code and run with python3. */
const script = (codeUri: string, step: keyof typeof SEED_SCRIPTS) => ({
  input: s3Input(
    'code',
    `${codeUri}/${SEED_SCRIPTS[step]}`,
    '/opt/ml/processing/input/code',
  ),
  entrypoint: [
    'python3',
    `/opt/ml/processing/input/code/${SEED_SCRIPTS[step]}`,
  ],
});

/** One of the splits the preprocessing step wrote. */
const split = (name: string) => ({
  Get: `Steps.Preprocess.ProcessingOutputConfig.Outputs['${name}'].S3Output.S3Uri`,
});

const channel = (name: string) => ({
  ChannelName: name,
  ContentType: 'text/csv',
  DataSource: {
    S3DataSource: {
      S3DataType: 'S3Prefix',
      S3Uri: split(name),
      S3DataDistributionType: 'FullyReplicated',
    },
  },
});

const MODEL_ARTIFACT = { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' };

/**
 * A processing step running its seed script in `image`, reading `inputs` and
 * the script, writing `outputs` under the run's prefix.
 */
function processingStep(
  o: PipelineOptions,
  step: keyof typeof SEED_SCRIPTS,
  image: string,
  inputs: unknown[],
  outputs: string[],
) {
  const code = script(o.codeUri, step);
  return {
    Name: step,
    Type: 'Processing',
    Arguments: {
      ProcessingResources: cluster(o.instanceType),
      RoleArn: o.roleArn,
      AppSpecification: {
        ImageUri: image,
        ContainerEntrypoint: code.entrypoint,
      },
      ProcessingInputs: [...inputs, code.input],
      ProcessingOutputConfig: {
        Outputs: outputs.map(name => processingOutput(o.workUri, name)),
      },
    },
  };
}

const preprocessStep = (o: PipelineOptions) =>
  processingStep(
    o,
    'Preprocess',
    SKLEARN,
    [dataInput(o.source, o.workUri)],
    ['train', 'validation', 'test'],
  );

function trainStep(o: PipelineOptions) {
  return {
    Name: 'Train',
    Type: 'Training',
    Arguments: {
      AlgorithmSpecification: {
        TrainingImage: XGBOOST,
        TrainingInputMode: 'File',
      },
      RoleArn: o.roleArn,
      HyperParameters: {
        objective: 'binary:logistic',
        num_round: '200',
        eval_metric: 'auc',
      },
      InputDataConfig: [channel('train'), channel('validation')],
      OutputDataConfig: { S3OutputPath: runUri(o.workUri, 'model') },
      ResourceConfig: cluster(o.instanceType).ClusterConfig,
      StoppingCondition: { MaxRuntimeInSeconds: 86400 },
    },
  };
}

function evaluateStep(o: PipelineOptions) {
  return {
    ...processingStep(
      o,
      'Evaluate',
      XGBOOST,
      [
        s3Input('model', MODEL_ARTIFACT, '/opt/ml/processing/model'),
        s3Input('test', split('test'), '/opt/ml/processing/test'),
      ],
      ['evaluation'],
    ),
    PropertyFiles: [
      {
        PropertyFileName: 'EvaluationReport',
        OutputName: 'evaluation',
        FilePath: 'evaluation.json',
      },
    ],
  };
}

function registerStep(o: PipelineOptions) {
  const evaluation =
    "Steps.Evaluate.ProcessingOutputConfig.Outputs['evaluation'].S3Output.S3Uri";
  return {
    Name: 'Register',
    Type: 'RegisterModel',
    Arguments: {
      ModelPackageGroupName: o.modelPackageGroupName,
      ModelApprovalStatus: { Get: 'Parameters.ModelApprovalStatus' },
      CustomerMetadataProperties: {
        'training-data': { Get: 'Parameters.InputDataUrl' },
      },
      InferenceSpecification: {
        Containers: [{ Image: XGBOOST, ModelDataUrl: MODEL_ARTIFACT }],
        SupportedContentTypes: ['text/csv'],
        SupportedResponseMIMETypes: ['text/csv'],
      },
      ModelMetrics: {
        ModelQuality: {
          Statistics: {
            ContentType: 'application/json',
            S3Uri: {
              'Std:Join': {
                On: '/',
                Values: [{ Get: evaluation }, 'evaluation.json'],
              },
            },
          },
        },
      },
    },
  };
}

/**
 * The SageMaker pipeline of an experiment project: preprocess the data, train
 * (XGBoost), evaluate, and register the model in the project's group with its
 * metrics and the data's location, waiting for the lead's approval.
 *
 * Written as the SageMaker Python SDK writes a definition
 * (https://aws-sagemaker-mlops.github.io/sagemaker-model-building-pipeline-definition-JSON-schema/):
 * each processing step downloads its script from `codeUri` to
 * /opt/ml/processing/input/code and runs it, and each step reads what the
 * earlier ones wrote through property references (`Get: Steps.<step>.<property>`,
 * https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-propertyfile.html):
 * training reads the preprocessed splits, evaluation the model artifact the
 * training job wrote, and the register step that artifact and the evaluation
 * report. Every run writes under `<workUri>/<execution id>/`.
 */
export function experimentPipelineDefinition(options: PipelineOptions): string {
  return JSON.stringify({
    Version: '2020-12-01',
    Metadata: {},
    Parameters: [
      {
        Name: 'InputDataUrl',
        Type: 'String',
        DefaultValue: dataSourceLocation(options.source),
      },
      {
        Name: 'ModelApprovalStatus',
        Type: 'String',
        DefaultValue: 'PendingManualApproval',
      },
    ],
    PipelineExperimentConfig: {
      ExperimentName: { Get: 'Execution.PipelineName' },
      TrialName: { Get: 'Execution.PipelineExecutionId' },
    },
    Steps: [
      preprocessStep(options),
      trainStep(options),
      evaluateStep(options),
      registerStep(options),
    ],
  });
}
