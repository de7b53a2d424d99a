import crypto from 'node:crypto';
import { BuildRun, runBuildspec } from '../buildspecRunner';
import { OperationTable } from '../context';
import { SandboxCore } from '../core';
import { AwsError } from '../errors';
import { Caller } from '../identity';
import { getObjectAs, ObjectLocation, putObjectAs } from '../objectsAs';
import { assumeRoleFor, requireTrust } from '../roleSessions';
import { AccountState, Json, nowSeconds } from '../state';

const invalidInput = (message: string) =>
  new AwsError('InvalidInputException', message);
const CODEBUILD = 'codebuild.amazonaws.com';

/** A project by name or ARN, as BatchGetProjects and StartBuild take it. */
function projectOf(account: AccountState, nameOrArn: string): Json | undefined {
  return account.codeBuildProjects[
    nameOrArn.replace(/^arn:aws[a-z-]*:codebuild:[^:]*:\d{12}:project\//, '')
  ];
}

export interface StartedBuild {
  build: Json;
  /** Settles when the build ends (never rejects): its status, failure and log. */
  done: Promise<BuildRun>;
}

type BuildOptions = {
  source?: ObjectLocation;
  initiator: string;
  environmentVariablesOverride?: Json[];
  output?: ObjectLocation;
};

/** The project's variables then the override's; only plain text ones, which the sandbox can resolve. */
function plainVariables(project: Json, options: BuildOptions): Json[] {
  const variables: Json[] = [
    ...(project.environment.environmentVariables ?? []),
    ...(options.environmentVariablesOverride ?? []),
  ];
  const unsupported = variables.find(
    v => (v.type ?? 'PLAINTEXT') !== 'PLAINTEXT',
  );
  if (unsupported)
    throw invalidInput(
      `Environment variable ${unsupported.name} is of type ${unsupported.type}, which the sandbox does not resolve`,
    );
  return variables;
}

/** The build as BatchGetBuilds shows it when it starts. */
function newBuild(
  core: SandboxCore,
  account: AccountState,
  project: Json,
  id: string,
  options: BuildOptions,
): Json {
  const { output } = options;
  return {
    id,
    arn: core.arn('codebuild', account.id, `build/${id}`),
    buildNumber: project.buildNumber,
    startTime: nowSeconds(),
    currentPhase: 'SUBMITTED',
    buildStatus: 'IN_PROGRESS',
    projectName: project.name,
    phases: [],
    source: project.source,
    artifacts: output
      ? { location: `arn:aws:s3:::${output.bucket}/${output.key}` }
      : {},
    environment: project.environment,
    serviceRole: project.serviceRole,
    timeoutInMinutes: project.timeoutInMinutes,
    queuedTimeoutInMinutes: project.queuedTimeoutInMinutes,
    buildComplete: false,
    initiator: options.initiator,
    encryptionKey: project.encryptionKey,
  };
}

/** CodeBuild's own variables beside the build's, and the service role's credentials. */
function buildEnvironment(
  core: SandboxCore,
  build: Json,
  variables: Json[],
  credentials: Record<string, string>,
): Record<string, string> {
  return {
    ...Object.fromEntries(variables.map(v => [v.name, String(v.value)])),
    CODEBUILD_BUILD_ID: build.id,
    CODEBUILD_BUILD_ARN: build.arn,
    CODEBUILD_BUILD_NUMBER: String(build.buildNumber),
    CODEBUILD_INITIATOR: build.initiator,
    CODEBUILD_BUILD_IMAGE: build.environment.image,
    AWS_REGION: core.region,
    AWS_DEFAULT_REGION: core.region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    AWS_ENDPOINT_URL: core.url,
  };
}

/** A succeeded build's output artifact, written with the service role; a buildspec that declares none fails the build. */
function storeOutput(
  core: SandboxCore,
  caller: Caller,
  output: ObjectLocation | undefined,
  run: BuildRun,
): BuildRun {
  if (run.status !== 'SUCCEEDED' || !output) return run;
  if (!run.artifact)
    return {
      status: 'FAILED',
      failure:
        'CLIENT_ERROR: the buildspec declares no artifacts.files for the output artifact',
      log: run.log,
    };
  putObjectAs(core, caller, output.bucket, output.key, run.artifact);
  return run;
}

/** The build's end as BatchGetBuilds shows it, with the variables the buildspec exported. */
function finishBuild(core: SandboxCore, build: Json, run: BuildRun) {
  build.buildStatus = run.status;
  build.currentPhase = 'COMPLETED';
  build.endTime = nowSeconds();
  build.buildComplete = true;
  const exported = Object.entries(run.exportedVariables ?? {});
  if (exported.length)
    build.exportedEnvironmentVariables = exported.map(([name, value]) => ({
      name,
      value,
    }));
  // Not part of the API's Build; kept so a failed build can be read while debugging the sandbox.
  Object.defineProperty(build, 'log', { value: run.log, enumerable: false });
  core.changed();
}

/**
 * Starts a build of `project` as CodeBuild does: in a session of the
 * project's service role (which must trust codebuild.amazonaws.com), with
 * CodeBuild's documented environment variables
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html),
 * the project's and the override's variables, and the role's credentials; the
 * AWS SDK in the build reaches the sandbox through AWS_ENDPOINT_URL. The
 * output artifact, if any, is written with the service role.
 */
export function startBuild(
  core: SandboxCore,
  account: AccountState,
  project: Json,
  options: BuildOptions,
): StartedBuild {
  project.buildNumber = (project.buildNumber ?? 0) + 1;
  const id = `${project.name}:${crypto.randomUUID()}`;
  const session = assumeRoleFor(
    core,
    project.serviceRole,
    CODEBUILD,
    `AWSCodeBuild-${id.split(':')[1]}`,
  );
  const variables = plainVariables(project, options);
  const build = newBuild(core, account, project, id, options);
  account.codeBuilds[id] = build;
  const { source, output } = options;
  const done = runBuildspec({
    // CodeBuild downloads the source with the service role, failing DOWNLOAD_SOURCE when it may not.
    source:
      source &&
      (() => getObjectAs(core, session.caller, source.bucket, source.key)),
    buildspec: project.source.buildspec,
    env: buildEnvironment(core, build, variables, session.credentials),
    timeoutMs: project.timeoutInMinutes * 60_000,
    signal: core.closing.signal,
    onPhase: phase => {
      if (!build.phases.includes(phase)) build.phases.push(phase);
      build.currentPhase = phase.phaseType;
    },
  })
    .then(run => storeOutput(core, session.caller, output, run))
    .catch(
      (e: Error): BuildRun => ({
        status: 'FAILED',
        failure: `CLIENT_ERROR: ${e.message}`,
        log: '',
      }),
    )
    .then(run => {
      finishBuild(core, build, run);
      return run;
    });
  return { build, done: core.track(done) };
}

/**
 * A build that was running when the sandbox stopped lost its container: it
 * ends as CodeBuild ends a build whose container died, the running phase and
 * the build FAULT ("the build faulted":
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_BuildPhase.html).
 */
export function failInterruptedBuilds(core: SandboxCore) {
  for (const account of Object.values(core.state.accounts)) {
    for (const build of Object.values(account.codeBuilds).filter(
      b => !b.buildComplete,
    )) {
      const now = nowSeconds();
      let running = build.phases.find((p: Json) => !p.phaseStatus);
      if (!running) {
        running = { phaseType: build.currentPhase, startTime: build.startTime };
        build.phases.push(running);
      }
      Object.assign(running, {
        phaseStatus: 'FAULT',
        endTime: now,
        durationInSeconds: Math.round(now - running.startTime),
        contexts: [
          {
            statusCode: 'FAULT',
            message:
              'Build container found dead before completing the build: the sandbox stopped while the build ran',
          },
        ],
      });
      Object.assign(build, {
        buildStatus: 'FAULT',
        currentPhase: 'COMPLETED',
        endTime: now,
        buildComplete: true,
      });
    }
  }
}

/** Why a build that ended did not succeed, as CodePipeline's CodeBuild action reports it. */
export function buildFailure(build: Json): string {
  const failed = build.phases.find(
    (p: Json) => p.phaseStatus && p.phaseStatus !== 'SUCCEEDED',
  );
  const [code, message] = [
    failed?.contexts?.[0]?.statusCode,
    failed?.contexts?.[0]?.message,
  ];
  return `Build terminated with state: ${build.buildStatus}. Phase: ${failed?.phaseType}, Code: ${code}, Message: ${message}`;
}

/** CodeBuild: the projects CodePipeline's CodeBuild actions run, and their builds. */
export const codeBuildOperations: OperationTable = {
  CreateProject(input, ctx) {
    if (projectOf(ctx.account, input.name)) {
      throw new AwsError(
        'ResourceAlreadyExistsException',
        `The project already exists: arn:aws:codebuild:${ctx.core.region}:${ctx.account.id}:project/${input.name}`,
      );
    }
    const pipelineSource = input.source?.type === 'CODEPIPELINE';
    if (pipelineSource !== (input.artifacts?.type === 'CODEPIPELINE')) {
      throw invalidInput(
        'Both source and artifacts must be set to CODEPIPELINE when either is set to CODEPIPELINE',
      );
    }
    try {
      requireTrust(ctx.core, input.serviceRole, CODEBUILD);
    } catch {
      throw invalidInput(
        `CodeBuild is not authorized to perform: sts:AssumeRole on ${input.serviceRole}`,
      );
    }
    const now = nowSeconds();
    const project = {
      name: input.name,
      arn: ctx.core.arn('codebuild', ctx.account.id, `project/${input.name}`),
      description: input.description,
      source: input.source,
      artifacts: input.artifacts,
      environment: input.environment,
      serviceRole: input.serviceRole,
      timeoutInMinutes: input.timeoutInMinutes ?? 60,
      queuedTimeoutInMinutes: input.queuedTimeoutInMinutes ?? 480,
      encryptionKey:
        input.encryptionKey ??
        `arn:aws:kms:${ctx.core.region}:${ctx.account.id}:alias/aws/s3`,
      tags: input.tags ?? [],
      created: now,
      lastModified: now,
      badge: { badgeEnabled: false },
      projectVisibility: 'PRIVATE',
    };
    ctx.account.codeBuildProjects[input.name] = project;
    ctx.core.changed();
    return { project };
  },

  BatchGetProjects(input, ctx) {
    const names: string[] = input.names;
    const found = names.map(n => projectOf(ctx.account, n));
    return {
      projects: found.filter(Boolean).map(p => {
        const { buildNumber, ...project } = p!;
        return project;
      }),
      projectsNotFound: names.filter((_, i) => !found[i]),
    };
  },

  /**
   * Starts a build of a project whose source is S3 (a zip at
   * `bucket/key`) or NO_SOURCE (an inline buildspec). A CODEPIPELINE project
   * is started by its pipeline, which hands it the input artifact.
   */
  StartBuild(input, ctx) {
    const project = projectOf(ctx.account, input.projectName);
    if (!project)
      throw new AwsError(
        'ResourceNotFoundException',
        `Project cannot be found: arn:aws:codebuild:${ctx.core.region}:${ctx.account.id}:project/${input.projectName}`,
      );
    const type = input.sourceTypeOverride ?? project.source.type;
    const location = input.sourceLocationOverride ?? project.source.location;
    const effective = {
      ...project,
      source: {
        ...project.source,
        type,
        location,
        buildspec: input.buildspecOverride ?? project.source.buildspec,
      },
    };
    if (type === 'CODEPIPELINE')
      throw invalidInput(
        `Project ${project.name} has source type CODEPIPELINE: its pipeline starts its builds`,
      );
    if (type !== 'S3' && type !== 'NO_SOURCE')
      throw invalidInput(
        `Source type ${type} is not simulated by the sandbox (S3 and NO_SOURCE are)`,
      );
    if (
      type === 'NO_SOURCE' &&
      !/\n|^version\s*:/.test(effective.source.buildspec ?? '')
    ) {
      throw invalidInput(
        'A project with source type NO_SOURCE needs an inline buildspec',
      );
    }
    let source: ObjectLocation | undefined;
    let output: ObjectLocation | undefined;
    if (type === 'S3') {
      const [bucket, ...key] = String(location ?? '').split('/');
      source = { bucket, key: key.join('/') };
    }
    const artifacts = input.artifactsOverride ?? project.artifacts;
    if (artifacts?.type === 'S3') {
      output = {
        bucket: artifacts.location,
        key: [artifacts.path, artifacts.name].filter(Boolean).join('/'),
      };
    }
    const { build } = startBuild(ctx.core, ctx.account, effective, {
      source,
      output,
      initiator: ctx.caller.arn.split(':').pop()!,
      environmentVariablesOverride: input.environmentVariablesOverride,
    });
    ctx.core.changed();
    return { build };
  },

  BatchGetBuilds(input, ctx) {
    const ids: string[] = input.ids;
    const found = ids.map(
      id =>
        ctx.account.codeBuilds[
          id.replace(/^arn:aws[a-z-]*:codebuild:[^:]*:\d{12}:build\//, '')
        ],
    );
    return {
      builds: found.filter(Boolean),
      buildsNotFound: ids.filter((_, i) => !found[i]),
    };
  },
};
