import fs from 'node:fs';
import path from 'node:path';
import { CreateProjectCommandInput } from '@aws-sdk/client-codebuild';
import { CreatePipelineCommandInput } from '@aws-sdk/client-codepipeline';
import {
  PutRuleCommandInput,
  PutTargetsCommandInput,
} from '@aws-sdk/client-eventbridge';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import JSZip from 'jszip';

/**
 * The deploy pipeline's shape lives in one data bundle, `deploy-pipeline/`
 * of this package, which the local sandbox also seeds its pipelines from:
 * `pipeline.json` holds the API inputs with `Fn::Sub`-style placeholders, and
 * `source/` the build code the pipeline's S3 source delivers to CodeBuild.
 */
const BUNDLE = resolvePackagePath(
  '@ml-governance/plugin-scaffolder-backend-module-ml-actions',
  'deploy-pipeline',
);

/**
 * The values of the bundle's placeholders. Those `pipeline.json` declares with
 * a `Default` (which may name the others) are optional.
 */
export interface DeployPipelineParameters {
  PipelineName: string;
  ModelPackageGroupName: string;
  SharedAccountId: string;
  TestAccountId: string;
  ProdAccountId: string;
  Region: string;
  KmsKeyArn: string;
  ArtifactBucket?: string;
  InstanceType?: string;
  InstanceCount?: string;
  PipelineRoleArn?: string;
  CodeBuildRoleArn?: string;
  EventsRoleArn?: string;
  CrossAccountRoleName?: string;
  CloudFormationRoleName?: string;
  ModelExecutionRoleName?: string;
}

/** The API inputs that make one deploy pipeline. */
export interface DeployPipelineBundle {
  pipeline: NonNullable<CreatePipelineCommandInput['pipeline']>;
  tags: CreatePipelineCommandInput['tags'];
  projects: CreateProjectCommandInput[];
  rule: PutRuleCommandInput & { Name: string };
  targets: PutTargetsCommandInput;
}

/**
 * `pipeline.json` with every `${Name}` replaced by the parameter's value
 * (given, else its default); a name that is not a declared parameter, or a
 * parameter without a value, is an error naming the file.
 */
export function renderDeployPipeline(
  given: DeployPipelineParameters,
): DeployPipelineBundle {
  const file = path.join(BUNDLE, 'pipeline.json');
  const fail = (message: string): never => {
    throw new Error(`${file}: ${message}`);
  };
  const { Parameters: declared, ...inputs } = JSON.parse(
    fs.readFileSync(file, 'utf8'),
  );
  const values: Record<string, string> = {};
  const substitute = (node: unknown): any => {
    if (typeof node === 'string') {
      return node.replace(
        /\$\{([\w:]+)\}/g,
        (_m, name: string) =>
          values[name] ??
          fail(
            `\${${name}} is not a parameter (or is declared after the default that names it)`,
          ),
      );
    }
    if (Array.isArray(node)) return node.map(substitute);
    if (node && typeof node === 'object')
      return Object.fromEntries(
        Object.entries(node).map(([k, v]) => [k, substitute(v)]),
      );
    return node;
  };
  const unknown = Object.keys(given).filter(name => !(name in declared));
  if (unknown.length) fail(`declares no parameter ${unknown.join(', ')}`);
  for (const [name, parameter] of Object.entries<{ Default?: string }>(
    declared,
  )) {
    const value =
      (given as unknown as Record<string, string | undefined>)[name] ??
      parameter.Default;
    values[name] =
      value === undefined
        ? fail(`parameter ${name} needs a value`)
        : substitute(value);
  }
  return substitute(inputs);
}

/** Where the pipeline's S3 source action reads the build code from. */
export function sourceLocation(bundle: DeployPipelineBundle): {
  bucket: string;
  key: string;
} {
  const source = bundle.pipeline.stages
    ?.flatMap(s => s.actions ?? [])
    .find(
      a =>
        a.actionTypeId?.category === 'Source' &&
        a.actionTypeId.provider === 'S3',
    );
  const { S3Bucket: bucket, S3ObjectKey: key } = source?.configuration ?? {};
  if (!bucket || !key)
    throw new Error(
      `${path.join(
        BUNDLE,
        'pipeline.json',
      )} has no S3 source action with S3Bucket and S3ObjectKey`,
    );
  return { bucket, key };
}

/** The build code (`deploy-pipeline/source/`) as the zip the S3 source action expects. */
export async function deployPipelineSource(): Promise<Buffer> {
  const dir = path.join(BUNDLE, 'source');
  const zip = new JSZip();
  for (const name of fs.readdirSync(dir).sort()) {
    // A fixed date: the same build code makes the same zip.
    zip.file(name, fs.readFileSync(path.join(dir, name)), {
      date: new Date(Date.UTC(2020, 0, 1)),
    });
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
