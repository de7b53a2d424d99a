import fs from 'node:fs';
import path from 'node:path';
import { CreateProjectCommand } from '@aws-sdk/client-codebuild';
import { CreatePipelineCommand } from '@aws-sdk/client-codepipeline';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import JSZip from 'jszip';
import { Sandbox } from '../sandbox';
import { clients, PROD, SHARED, TEST } from './clients';

/** The suite's deploy pipeline bundle, the one source of the pipeline's shape. */
const BUNDLE = path.resolve(__dirname, '../../../../plugins/scaffolder-ml-actions/deploy-pipeline');

export const ARTIFACT_BUCKET = `ml-deploy-artifacts-${SHARED}`;

/** The bundle's placeholders for a pipeline of `group` in the default scenario, named `<name>-deploy` as the iam/ roles expect. */
export function deployValues(name: string, group: string, overrides: Record<string, string> = {}): Record<string, string> {
  const role = (account: string, roleName: string) => `arn:aws:iam::${account}:role/${roleName}`;
  return {
    PipelineName: `${name}-deploy`,
    ModelPackageGroupName: group,
    SharedAccountId: SHARED,
    TestAccountId: TEST,
    ProdAccountId: PROD,
    Region: 'us-east-1',
    ArtifactBucket: ARTIFACT_BUCKET,
    KmsKeyArn: `arn:aws:kms:us-east-1:${SHARED}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`,
    PipelineRoleArn: role(SHARED, 'ml-deploy-pipeline'),
    CodeBuildRoleArn: role(SHARED, 'ml-deploy-codebuild'),
    EventsRoleArn: role(SHARED, 'ml-deploy-events'),
    CrossAccountRoleName: 'ml-deploy-cross-account',
    CloudFormationRoleName: 'ml-deploy-cloudformation',
    ModelExecutionRoleName: 'ml-deploy-model-execution',
    InstanceType: 'ml.m5.large',
    InstanceCount: '1',
    ...overrides,
  };
}

/** pipeline.json with its `${Name}` placeholders filled in; an unknown name is an error. */
export function renderBundle(values: Record<string, string>) {
  const text = fs.readFileSync(path.join(BUNDLE, 'pipeline.json'), 'utf8');
  return JSON.parse(text.replace(/\$\{([\w:]+)\}/g, (_m, name) => {
    if (!(name in values)) throw new Error(`deploy-pipeline/pipeline.json uses \${${name}}, which has no value`);
    return values[name];
  }));
}

/** The bundle's build code as the source zip the S3 source action reads. */
export async function sourceZip(): Promise<Buffer> {
  const zip = new JSZip();
  const dir = path.join(BUNDLE, 'source');
  for (const file of fs.readdirSync(dir)) zip.file(file, fs.readFileSync(path.join(dir, file)));
  return zip.generateAsync({ type: 'nodebuffer' });
}

/**
 * Creates a deploy pipeline as the suite's action does, through the real SDK
 * clients in the shared services account: the source zip, the two CodeBuild
 * projects, the pipeline, and the rule that starts it.
 */
export async function createDeployPipeline(sandbox: Sandbox, values: Record<string, string>) {
  const bundle = renderBundle(values);
  const shared = clients(sandbox, SHARED);
  await shared.s3.send(new PutObjectCommand({
    Bucket: values.ArtifactBucket, Key: `${values.PipelineName}/source.zip`, Body: await sourceZip(),
  }));
  for (const project of bundle.projects) await shared.codebuild.send(new CreateProjectCommand(project));
  await shared.codepipeline.send(new CreatePipelineCommand({ pipeline: bundle.pipeline }));
  await shared.events.send(new PutRuleCommand(bundle.rule));
  await shared.events.send(new PutTargetsCommand(bundle.targets));
  return bundle;
}
