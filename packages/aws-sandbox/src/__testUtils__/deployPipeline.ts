import path from 'node:path';
import { CreateProjectCommand } from '@aws-sdk/client-codebuild';
import { CreatePipelineCommand } from '@aws-sdk/client-codepipeline';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  PutModelPackageGroupPolicyCommand,
} from '@aws-sdk/client-sagemaker';
import {
  renderDeployPipelineBundle,
  zipDirectory,
} from '../deployPipelineBundle';
import { Sandbox } from '../sandbox';
import { clients, PROD, SHARED, TEST } from './clients';

/** The suite's deploy pipeline bundle, the one source of the pipeline's shape. */
const BUNDLE = path.resolve(
  __dirname,
  '../../../../plugins/scaffolder-ml-actions/deploy-pipeline',
);

/** Where the bundle's defaults (and iam/ml-deploy-pipeline.yaml) put the artifacts. */
export const ARTIFACT_BUCKET = `ml-deploy-artifacts-${SHARED}`;

/** The bundle's parameters for a pipeline of `group` in the default scenario, named `<name>-deploy` as the iam/ roles expect. */
export function deployValues(
  name: string,
  group: string,
): Record<string, string> {
  return {
    PipelineName: `${name}-deploy`,
    ModelPackageGroupName: group,
    SharedAccountId: SHARED,
    TestAccountId: TEST,
    ProdAccountId: PROD,
    Region: 'us-east-1',
    KmsKeyArn: `arn:aws:kms:us-east-1:${SHARED}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`,
  };
}

/** pipeline.json rendered with these parameters. */
export const renderBundle = (values: Record<string, string>) =>
  renderDeployPipelineBundle(BUNDLE, values);

/**
 * Creates a deploy pipeline as the suite's action does, through the real SDK
 * clients in the shared services account: the source zip, the two CodeBuild
 * projects, the pipeline, and the rule that starts it.
 */
export async function createDeployPipeline(
  sandbox: Sandbox,
  values: Record<string, string>,
) {
  const bundle = renderBundle(values);
  const source = bundle.pipeline.stages[0].actions[0].configuration;
  const shared = clients(sandbox, SHARED);
  await shared.s3.send(
    new PutObjectCommand({
      Bucket: source.S3Bucket,
      Key: source.S3ObjectKey,
      Body: await zipDirectory(path.join(BUNDLE, 'source')),
    }),
  );
  for (const project of bundle.projects)
    await shared.codebuild.send(new CreateProjectCommand(project));
  await shared.codepipeline.send(
    new CreatePipelineCommand({ pipeline: bundle.pipeline, tags: bundle.tags }),
  );
  await shared.events.send(new PutRuleCommand(bundle.rule));
  await shared.events.send(new PutTargetsCommand(bundle.targets));
  return bundle;
}

/**
 * A central group with one version waiting for the ML engineer, readable by
 * the test and prod accounts as promotion makes it (unless `unshared`).
 */
export async function centralGroup(
  sandbox: Sandbox,
  group: string,
  { unshared = false } = {},
) {
  const { sagemaker } = clients(sandbox, SHARED);
  await sagemaker.send(
    new CreateModelPackageGroupCommand({ ModelPackageGroupName: group }),
  );
  if (!unshared)
    await sagemaker.send(
      new PutModelPackageGroupPolicyCommand({
        ModelPackageGroupName: group,
        ResourcePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: {
                AWS: [`arn:aws:iam::${TEST}:root`, `arn:aws:iam::${PROD}:root`],
              },
              Action: [
                'sagemaker:DescribeModelPackage',
                'sagemaker:DescribeModelPackageGroup',
              ],
              Resource: [
                `arn:aws:sagemaker:us-east-1:${SHARED}:model-package-group/${group}`,
                `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/${group}/*`,
              ],
            },
          ],
        }),
      }),
    );
  const { ModelPackageArn } = await sagemaker.send(
    new CreateModelPackageCommand({
      ModelPackageGroupName: group,
      ModelApprovalStatus: 'PendingManualApproval',
      InferenceSpecification: {
        Containers: [
          {
            Image:
              '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
            ModelDataUrl: `s3://ml-shared-artifacts-${SHARED}/${group}/1/model.tar.gz`,
          },
        ],
        SupportedContentTypes: ['text/csv'],
        SupportedResponseMIMETypes: ['text/csv'],
      },
    }),
  );
  return ModelPackageArn!;
}
