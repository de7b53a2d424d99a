/**
 * Where an experiment's training data comes from. Each becomes a location
 * string the registry records on every version (`training-data`) and the
 * catalog turns into a dataset entity.
 */
export type DataSource =
  | { type: 's3'; uri: string }
  | { type: 'athena'; accountId: string; database: string; table: string; workgroup?: string }
  | { type: 'datazone'; domainId: string; assetId: string; database: string; table: string }
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

const SKLEARN = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';
const XGBOOST = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';

/**
 * How the processing step reads the data: files from S3, or a query through
 * Athena for tables (an Athena data lake, a table DataZone subscribed the
 * project to, or the feature group's offline store).
 */
function processingInput(source: DataSource, workPrefix: string) {
  const athena = (database: string, query: string, workgroup = 'primary') => ({
    InputName: 'dataset',
    DatasetDefinition: {
      AthenaDatasetDefinition: {
        Catalog: 'AwsDataCatalog', Database: database, QueryString: query, WorkGroup: workgroup,
        OutputS3Uri: `s3://${workPrefix}/athena-results/`, OutputFormat: 'PARQUET',
      },
      LocalPath: '/opt/ml/processing/input', DataDistributionType: 'FullyReplicated', InputMode: 'File',
    },
  });
  switch (source.type) {
    case 's3':
      return {
        InputName: 'dataset',
        S3Input: { S3Uri: { Get: 'Parameters.InputDataUrl' }, LocalPath: '/opt/ml/processing/input', S3DataType: 'S3Prefix', S3InputMode: 'File' },
      };
    case 'athena':
      return athena(source.database, `SELECT * FROM "${source.database}"."${source.table}"`, source.workgroup);
    case 'datazone':
      return athena(source.database, `SELECT * FROM "${source.database}"."${source.table}"`);
    default: {
      // The offline store of a feature group is a Glue table named after the group.
      const name = source.featureGroupArn.split('/').pop()!;
      return athena('sagemaker_featurestore', `SELECT * FROM "sagemaker_featurestore"."${name.replace(/-/g, '_')}" WHERE NOT is_deleted`);
    }
  }
}

/**
 * The SageMaker pipeline of an experiment project: preprocess the data, train
 * (XGBoost), evaluate, and register the model in the project's group with its
 * metrics and the data's location, waiting for the lead's approval.
 */
export function experimentPipelineDefinition(options: {
  source: DataSource;
  modelPackageGroupName: string;
  roleArn: string;
  workPrefix: string;
  instanceType: string;
}): string {
  const { source, roleArn, workPrefix, instanceType } = options;
  const cluster = { ClusterConfig: { InstanceType: instanceType, InstanceCount: 1, VolumeSizeInGB: 30 } };
  const output = (name: string) => ({
    OutputName: name,
    S3Output: { S3Uri: `s3://${workPrefix}/${name}/`, LocalPath: `/opt/ml/processing/${name}`, S3UploadMode: 'EndOfJob' },
  });
  return JSON.stringify({
    Version: '2020-12-01',
    Parameters: [
      { Name: 'InputDataUrl', Type: 'String', DefaultValue: dataSourceLocation(source) },
      { Name: 'ModelApprovalStatus', Type: 'String', DefaultValue: 'PendingManualApproval' },
    ],
    Steps: [
      {
        Name: 'Preprocess', Type: 'Processing',
        Arguments: {
          ProcessingResources: cluster, RoleArn: roleArn,
          AppSpecification: { ImageUri: SKLEARN, ContainerEntrypoint: ['python3', '/opt/ml/processing/code/preprocess.py'] },
          ProcessingInputs: [processingInput(source, workPrefix)],
          ProcessingOutputConfig: { Outputs: [output('train'), output('validation'), output('test')] },
        },
      },
      {
        Name: 'Train', Type: 'Training',
        Arguments: {
          AlgorithmSpecification: { TrainingImage: XGBOOST, TrainingInputMode: 'File' },
          RoleArn: roleArn,
          HyperParameters: { objective: 'binary:logistic', num_round: '200', eval_metric: 'auc' },
          InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${workPrefix}/train/` } } }],
          OutputDataConfig: { S3OutputPath: `s3://${workPrefix}/models/` },
          ResourceConfig: { InstanceType: instanceType, InstanceCount: 1, VolumeSizeInGB: 30 },
          StoppingCondition: { MaxRuntimeInSeconds: 86400 },
        },
      },
      {
        Name: 'Evaluate', Type: 'Processing',
        Arguments: {
          ProcessingResources: cluster, RoleArn: roleArn,
          AppSpecification: { ImageUri: XGBOOST, ContainerEntrypoint: ['python3', '/opt/ml/processing/code/evaluate.py'] },
          ProcessingOutputConfig: { Outputs: [output('evaluation')] },
        },
        PropertyFiles: [{ PropertyFileName: 'EvaluationReport', OutputName: 'evaluation', FilePath: 'evaluation.json' }],
      },
      {
        Name: 'Register', Type: 'RegisterModel',
        Arguments: {
          ModelPackageGroupName: options.modelPackageGroupName,
          ModelApprovalStatus: { Get: 'Parameters.ModelApprovalStatus' },
          CustomerMetadataProperties: { 'training-data': { Get: 'Parameters.InputDataUrl' } },
          InferenceSpecification: {
            Containers: [{ Image: XGBOOST, ModelDataUrl: `s3://${workPrefix}/models/model.tar.gz` }],
            SupportedContentTypes: ['text/csv'], SupportedResponseMIMETypes: ['text/csv'],
          },
          ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: `s3://${workPrefix}/evaluation/evaluation.json` } } },
        },
      },
    ],
  });
}
