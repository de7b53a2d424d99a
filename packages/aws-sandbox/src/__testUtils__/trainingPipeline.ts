import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreatePipelineCommand,
  SageMakerClient,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { FRAUD_DEV } from './clients';

/**
 * A well-formed training pipeline, as the SageMaker Python SDK writes one:
 * Preprocess runs a script it downloads from `s3://<bucket>/code/` on the
 * data at the InputDataUrl parameter (default `s3://<bucket>/data/`), Train
 * reads its output, Register the artifact Train wrote, with the evaluation
 * report Evaluate wrote. `uploadCode` puts the scripts where the processing steps read them.
 */
export function trainingPipeline(bucket: string, group: string) {
  const splitUri = {
    Get: "Steps.Preprocess.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri",
  };
  const runUri = (name: string) => ({
    'Std:Join': {
      On: '/',
      Values: [
        `s3://${bucket}/runs`,
        { Get: 'Execution.PipelineExecutionId' },
        name,
      ],
    },
  });
  const processing = (script: string, inputs: object[], output: string) => ({
    ProcessingResources: {
      ClusterConfig: {
        InstanceType: 'ml.m5.xlarge',
        InstanceCount: 1,
        VolumeSizeInGB: 30,
      },
    },
    RoleArn: 'arn:aws:iam::222222222222:role/sagemaker-exec',
    AppSpecification: {
      ImageUri: 'sklearn',
      ContainerEntrypoint: [
        'python3',
        `/opt/ml/processing/input/code/${script}`,
      ],
    },
    ProcessingInputs: [
      ...inputs,
      {
        InputName: 'code',
        S3Input: {
          S3Uri: `s3://${bucket}/code/${script}`,
          LocalPath: '/opt/ml/processing/input/code',
          S3DataType: 'S3Prefix',
          S3InputMode: 'File',
        },
      },
    ],
    ProcessingOutputConfig: {
      Outputs: [
        {
          OutputName: output,
          S3Output: {
            S3Uri: runUri(output),
            LocalPath: `/opt/ml/processing/${output}`,
            S3UploadMode: 'EndOfJob',
          },
        },
      ],
    },
  });
  const definition = {
    Version: '2020-12-01',
    Parameters: [
      {
        Name: 'InputDataUrl',
        Type: 'String',
        DefaultValue: `s3://${bucket}/data/`,
      },
      {
        Name: 'ModelApprovalStatus',
        Type: 'String',
        DefaultValue: 'PendingManualApproval',
      },
    ],
    Steps: [
      {
        Name: 'Preprocess',
        Type: 'Processing',
        Arguments: processing(
          'preprocess.py',
          [
            {
              InputName: 'dataset',
              S3Input: {
                S3Uri: { Get: 'Parameters.InputDataUrl' },
                LocalPath: '/opt/ml/processing/input',
                S3DataType: 'S3Prefix',
                S3InputMode: 'File',
              },
            },
          ],
          'train',
        ),
      },
      {
        Name: 'Train',
        Type: 'Training',
        Arguments: {
          AlgorithmSpecification: {
            TrainingImage: 'xgboost',
            TrainingInputMode: 'File',
          },
          RoleArn: 'arn:aws:iam::222222222222:role/sagemaker-exec',
          InputDataConfig: [
            {
              ChannelName: 'train',
              DataSource: {
                S3DataSource: { S3DataType: 'S3Prefix', S3Uri: splitUri },
              },
            },
          ],
          OutputDataConfig: { S3OutputPath: runUri('model') },
          ResourceConfig: {
            InstanceType: 'ml.m5.xlarge',
            InstanceCount: 1,
            VolumeSizeInGB: 30,
          },
          StoppingCondition: { MaxRuntimeInSeconds: 3600 },
        },
      },
      {
        Name: 'Evaluate',
        Type: 'Processing',
        Arguments: processing(
          'evaluate.py',
          [
            {
              InputName: 'model',
              S3Input: {
                S3Uri: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' },
                LocalPath: '/opt/ml/processing/model',
                S3DataType: 'S3Prefix',
                S3InputMode: 'File',
              },
            },
          ],
          'evaluation',
        ),
        PropertyFiles: [
          {
            PropertyFileName: 'EvaluationReport',
            OutputName: 'evaluation',
            FilePath: 'evaluation.json',
          },
        ],
      },
      {
        Name: 'Register',
        Type: 'RegisterModel',
        Arguments: {
          ModelPackageGroupName: group,
          ModelApprovalStatus: { Get: 'Parameters.ModelApprovalStatus' },
          CustomerMetadataProperties: {
            'training-data': { Get: 'Parameters.InputDataUrl' },
          },
          InferenceSpecification: {
            Containers: [
              {
                Image: 'xgboost',
                ModelDataUrl: {
                  Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts',
                },
              },
            ],
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
                    Values: [
                      {
                        Get: "Steps.Evaluate.ProcessingOutputConfig.Outputs['evaluation'].S3Output.S3Uri",
                      },
                      'evaluation.json',
                    ],
                  },
                },
              },
            },
          },
        },
      },
    ],
  };
  return {
    definition,
    uploadCode: (s3: S3Client) =>
      Promise.all(
        ['preprocess.py', 'evaluate.py'].map(script =>
          s3.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: `code/${script}`,
              Body: `print("${script}")\n`,
            }),
          ),
        ),
      ),
  };
}

/**
 * Creates the fraud team's training pipeline in its dev account, with its
 * code uploaded, and starts a run on the team's dataset; the run's ARN.
 */
export async function startFraudTraining(
  dev: { s3: S3Client; sagemaker: SageMakerClient },
  pipelineName: string,
): Promise<string> {
  const bucket = `sagemaker-us-east-1-${FRAUD_DEV}`;
  const pipeline = trainingPipeline(bucket, 'fraud-detection');
  await pipeline.uploadCode(dev.s3);
  await dev.sagemaker.send(
    new CreatePipelineCommand({
      PipelineName: pipelineName,
      RoleArn: `arn:aws:iam::${FRAUD_DEV}:role/sagemaker-exec`,
      PipelineDefinition: JSON.stringify(pipeline.definition),
    }),
  );
  const { PipelineExecutionArn } = await dev.sagemaker.send(
    new StartPipelineExecutionCommand({
      PipelineName: pipelineName,
      PipelineParameters: [
        {
          Name: 'InputDataUrl',
          Value: `s3://${bucket}/datasets/fraud-detection/`,
        },
      ],
    }),
  );
  return PipelineExecutionArn!;
}
