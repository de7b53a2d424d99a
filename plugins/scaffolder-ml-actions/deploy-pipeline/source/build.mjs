// Writes the deploy stages' inputs for the newest Approved version of the
// central model package group (MODEL_PACKAGE_GROUP_NAME), and its ARN to
// model-package-arn.txt, which the buildspec exports:
// - template-export.yml: the endpoint's CloudFormation template (model from
//   the model package, endpoint config, endpoint), the same for test and prod;
// - test-config-export.json and prod-config-export.json: its CloudFormation
//   template configuration files, one per target account.
// https://docs.aws.amazon.com/codepipeline/latest/userguide/continuous-delivery-codepipeline-cfn-artifacts.html
import { writeFileSync } from 'node:fs';
import { requiredEnv as env, requireSdk } from './buildEnv.mjs';

const { SageMakerClient, ListModelPackagesCommand } = requireSdk(
  '@aws-sdk/client-sagemaker',
);

const group = env('MODEL_PACKAGE_GROUP_NAME');
const instanceCount = Number(env('INSTANCE_COUNT'));
if (!Number.isInteger(instanceCount) || instanceCount < 1)
  throw new Error(
    `INSTANCE_COUNT must be a positive integer, not ${process.env.INSTANCE_COUNT}`,
  );

const sagemaker = new SageMakerClient({});
const { ModelPackageSummaryList: [newest] = [] } = await sagemaker.send(
  new ListModelPackagesCommand({
    ModelPackageGroupName: group,
    ModelApprovalStatus: 'Approved',
    SortBy: 'CreationTime',
    SortOrder: 'Descending',
    MaxResults: 1,
  }),
);
if (!newest)
  throw new Error(
    `Model package group ${group} has no Approved version to deploy`,
  );
console.log(`Deploying ${newest.ModelPackageArn}`);
// The buildspec exports it: CodePipeline shows it as the Build action's output variable.
writeFileSync('model-package-arn.txt', newest.ModelPackageArn);

// JSON is YAML; CloudFormation reads the template either way.
const template = {
  AWSTemplateFormatVersion: '2010-09-09',
  Description: `Real-time endpoint serving a version of ${group}`,
  Parameters: {
    ModelPackageArn: {
      Type: 'String',
      Description: 'The model package version to serve',
    },
    EndpointName: { Type: 'String' },
    ModelExecutionRoleArn: {
      Type: 'String',
      Description:
        'The role SageMaker uses to read the model artifact and image',
    },
    InstanceType: { Type: 'String' },
    InstanceCount: { Type: 'Number', MinValue: 1 },
  },
  Resources: {
    Model: {
      Type: 'AWS::SageMaker::Model',
      Properties: {
        ExecutionRoleArn: { Ref: 'ModelExecutionRoleArn' },
        PrimaryContainer: { ModelPackageName: { Ref: 'ModelPackageArn' } },
      },
    },
    EndpointConfig: {
      Type: 'AWS::SageMaker::EndpointConfig',
      Properties: {
        ProductionVariants: [
          {
            VariantName: 'AllTraffic',
            ModelName: { 'Fn::GetAtt': ['Model', 'ModelName'] },
            InstanceType: { Ref: 'InstanceType' },
            InitialInstanceCount: { Ref: 'InstanceCount' },
            InitialVariantWeight: 1,
          },
        ],
      },
    },
    Endpoint: {
      Type: 'AWS::SageMaker::Endpoint',
      Properties: {
        EndpointName: { Ref: 'EndpointName' },
        EndpointConfigName: {
          'Fn::GetAtt': ['EndpointConfig', 'EndpointConfigName'],
        },
        // The catalog reads which version an endpoint serves from this tag.
        Tags: [
          {
            Key: 'sagemaker:model-package-arn',
            Value: { Ref: 'ModelPackageArn' },
          },
        ],
      },
    },
  },
  Outputs: {
    EndpointName: { Value: { 'Fn::GetAtt': ['Endpoint', 'EndpointName'] } },
  },
};
writeFileSync('template-export.yml', JSON.stringify(template, null, 2));

for (const [stage, accountId] of [
  ['test', env('TEST_ACCOUNT_ID')],
  ['prod', env('PROD_ACCOUNT_ID')],
]) {
  const configuration = {
    Parameters: {
      ModelPackageArn: newest.ModelPackageArn,
      EndpointName: `${group}-${stage}`,
      ModelExecutionRoleArn: `arn:aws:iam::${accountId}:role/${env(
        'MODEL_EXECUTION_ROLE_NAME',
      )}`,
      InstanceType: env('INSTANCE_TYPE'),
      InstanceCount: String(instanceCount),
    },
    Tags: { 'ml-governance:model-package-group': group },
  };
  writeFileSync(
    `${stage}-config-export.json`,
    JSON.stringify(configuration, null, 2),
  );
}
