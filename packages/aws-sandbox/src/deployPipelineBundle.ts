import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { fnSub } from './cloudFormation';
import { rootContext } from './context';
import { SandboxCore } from './core';
import { codeBuildOperations } from './services/codebuild';
import { codePipelineOperations } from './services/codepipeline';
import { eventsOperations } from './services/events';
import { putObject } from './services/s3';

/** What `pipeline.json` holds: the inputs of the calls that make a deploy pipeline. */
export interface DeployPipelineInputs {
  pipeline: any;
  tags?: any[];
  projects: any[];
  rule: any;
  targets: any;
}

/**
 * The deploy pipeline bundle's `pipeline.json` (read from `dir`) with its
 * placeholders replaced as Fn::Sub does, by the given parameters or their
 * declared defaults; an undeclared or unset one is an error naming the file.
 */
export function renderDeployPipelineBundle(
  dir: string,
  parameters: Record<string, string>,
): DeployPipelineInputs {
  const file = path.join(dir, 'pipeline.json');
  const fail = (message: string): never => {
    throw new Error(`aws-sandbox: deploy pipeline bundle ${file}: ${message}`);
  };
  let bundle: any;
  try {
    bundle = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e: any) {
    fail(e.message);
  }
  const { Parameters: declared = {}, ...inputs } = bundle;
  const unknown = Object.keys(parameters).filter(name => !(name in declared));
  if (unknown.length) fail(`declares no parameter ${unknown.join(', ')}`);
  const values: Record<string, string> = {};
  const render = (node: any): any => {
    if (typeof node === 'string')
      return fnSub(
        node,
        name =>
          values[name] ??
          fail(
            `\${${name}} is not a parameter (or is declared after the default that names it)`,
          ),
      );
    if (Array.isArray(node)) return node.map(render);
    if (node && typeof node === 'object')
      return Object.fromEntries(
        Object.entries(node).map(([k, v]) => [k, render(v)]),
      );
    return node;
  };
  for (const [name, p] of Object.entries<{ Default?: string }>(declared)) {
    const value = parameters[name] ?? p.Default;
    values[name] =
      value === undefined
        ? fail(`parameter ${name} needs a value`)
        : render(value);
  }
  return render(inputs);
}

/**
 * Makes a deploy pipeline in `accountId` from the suite's deploy pipeline
 * bundle (`plugins/scaffolder-ml-actions/deploy-pipeline`, read from `dir`),
 * with the calls the `codepipeline:deploy-pipeline:create` action makes: the
 * zipped `source/` as the S3 source object, the CodeBuild projects, the
 * pipeline, the on-approval rule and its target. Returns the pipeline's name.
 */
export async function createDeployPipelineFromBundle(
  core: SandboxCore,
  dir: string,
  accountId: string,
  parameters: Record<string, string>,
): Promise<string> {
  const fail = (message: string): never => {
    throw new Error(
      `aws-sandbox: deploy pipeline bundle ${path.join(
        dir,
        'pipeline.json',
      )}: ${message}`,
    );
  };
  const { pipeline, tags, projects, rule, targets } =
    renderDeployPipelineBundle(dir, parameters);

  const source =
    pipeline.stages
      .flatMap((s: any) => s.actions)
      .find(
        (a: any) =>
          a.actionTypeId.category === 'Source' &&
          a.actionTypeId.provider === 'S3',
      ) ?? fail('its pipeline has no S3 source action');
  const { S3Bucket: bucket, S3ObjectKey: key } = source.configuration;
  if (core.state.buckets[bucket]?.owner !== accountId)
    fail(
      `the artifact bucket ${bucket} is not a bucket of account ${accountId} (iam/ml-deploy-pipeline.yaml makes it)`,
    );
  putObject(
    core,
    accountId,
    bucket,
    key,
    await zipDirectory(path.join(dir, 'source')),
    'application/zip',
  );

  const ctx = rootContext(core, accountId);
  for (const project of projects)
    codeBuildOperations.CreateProject(project, ctx);
  codePipelineOperations.CreatePipeline({ pipeline, tags }, ctx);
  eventsOperations.PutRule(rule, ctx);
  eventsOperations.PutTargets(targets, ctx);
  return pipeline.name;
}

/** The files of a directory as a zip, as the action uploads the build code. */
export async function zipDirectory(dir: string): Promise<Buffer> {
  const zip = new JSZip();
  for (const name of fs.readdirSync(dir).sort())
    zip.file(name, fs.readFileSync(path.join(dir, name)));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
