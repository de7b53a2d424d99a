import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import YAML from 'yaml';
import { nowSeconds } from './state';

/**
 * The sandbox's "build image": runs a CodeBuild buildspec for real, with
 * /bin/sh, in a temporary directory holding the source. It provides the
 * Node.js running the sandbox on PATH and the AWS SDK v3 clients the sandbox
 * itself depends on: on NODE_PATH for `require`, and as a node_modules
 * directory above CODEBUILD_SRC_DIR for ES module `import`s (ESM ignores
 * NODE_PATH), so a buildspec that installs the SDK only when it is not
 * resolvable installs nothing here.
 */

/** Where the build image's AWS SDK v3 clients live. */
const SDK_NODE_MODULES = path.resolve(
  path.dirname(require.resolve('@aws-sdk/client-sagemaker/package.json')),
  '../..',
);

const PHASES = ['install', 'pre_build', 'build', 'post_build'] as const;

export interface BuildPhase {
  phaseType: string;
  phaseStatus?: string;
  startTime: number;
  endTime?: number;
  durationInSeconds?: number;
  contexts?: { statusCode: string; message: string }[];
}

export interface BuildRun {
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  /** The first failure, as CodeBuild words it in the failed phase's context. */
  failure?: string;
  /** The zipped `artifacts.files`, when the buildspec declares any and the build succeeded. */
  artifact?: Buffer;
  /** What the commands printed (the build log). */
  log: string;
  /** `env.exported-variables` that the commands set, with their values at the end of POST_BUILD. */
  exportedVariables?: Record<string, string>;
}

export interface BuildOptions {
  /** Fetches the source: a zip (a CodePipeline artifact or an S3 object), or none. */
  source?: () => Buffer;
  /** The project's `source.buildspec`: inline YAML or a path in the source; `buildspec.yml` by default. */
  buildspec?: string;
  /** CodeBuild's variables, the project's and the credentials. */
  env: Record<string, string>;
  timeoutMs: number;
  /** Stops the build (its commands are killed) when aborted. */
  signal: AbortSignal;
  /** Called as the build enters each phase and when a phase ends, so its record stays current. */
  onPhase(phase: BuildPhase): void;
}

const fail = (message: string): never => {
  throw new Error(message);
};

/** A name the phase shell can read back safely: a POSIX shell variable name. */
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The buildspec's phase commands, environment variables and artifacts, as
 * https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html
 * defines them (version 0.2). What the sandbox does not simulate
 * (parameter-store and secrets-manager variables, a phase's on-failure and
 * finally) is an error naming it rather than silently skipped;
 * `runtime-versions` is met by the image's one Node.js.
 */
function parseBuildspec(text: string, where: string) {
  let spec: any;
  try {
    spec = YAML.parse(text);
  } catch (e: any) {
    fail(`YAML_FILE_ERROR: ${where}: ${e.message}`);
  }
  if (String(spec?.version) !== '0.2')
    fail(`YAML_FILE_ERROR: ${where}: version must be 0.2, is ${spec?.version}`);
  for (const key of ['parameter-store', 'secrets-manager']) {
    if (spec.env?.[key])
      fail(
        `YAML_FILE_ERROR: ${where}: env.${key} is not simulated by the sandbox`,
      );
  }
  const unknownPhase = Object.keys(spec.phases ?? {}).find(
    p => !(PHASES as readonly string[]).includes(p),
  );
  if (unknownPhase)
    fail(`YAML_FILE_ERROR: ${where}: unknown phase ${unknownPhase}`);
  const exported = spec.env?.['exported-variables'] ?? [];
  if (
    !Array.isArray(exported) ||
    exported.some(name => typeof name !== 'string' || !SHELL_NAME.test(name))
  ) {
    fail(
      `YAML_FILE_ERROR: ${where}: env.exported-variables must be a list of variable names, is ${JSON.stringify(
        exported,
      )}`,
    );
  }
  for (const [phase, body] of Object.entries<any>(spec.phases ?? {})) {
    // on-failure and finally change what runs after a failure: refused rather than run differently.
    const unsimulated = Object.keys(body ?? {}).find(
      k => !['commands', 'runtime-versions'].includes(k),
    );
    if (unsimulated)
      fail(
        `YAML_FILE_ERROR: ${where}: phases.${phase}.${unsimulated} is not simulated by the sandbox`,
      );
  }
  return {
    variables: Object.fromEntries(
      Object.entries<any>(spec.env?.variables ?? {}).map(([k, v]) => [
        k,
        String(v),
      ]),
    ),
    exported: exported as string[],
    commands: (phase: string): string[] =>
      [].concat(spec.phases?.[phase]?.commands ?? []).map(String),
    artifacts: spec.artifacts as
      | {
          files?: string[];
          'base-directory'?: string;
          'discard-paths'?: string | boolean;
        }
      | undefined,
  };
}

async function unzipTo(zip: Buffer, dir: string) {
  const archive = await JSZip.loadAsync(zip);
  for (const entry of Object.values(archive.files)) {
    const target = path.resolve(dir, entry.name);
    if (!target.startsWith(dir + path.sep))
      fail(
        `CLIENT_ERROR: source entry ${entry.name} lies outside the source directory`,
      );
    if (entry.dir) fs.mkdirSync(target, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, await entry.async('nodebuffer'));
    }
  }
}

/**
 * Runs one phase's commands in one shell, as version 0.2 does (a variable
 * exported by one command is seen by the next); the first failing command
 * stops the phase. Returns the failing command, if any, and the values the
 * `exported` variables have when the shell exits.
 */
function runPhase(
  commands: string[],
  exported: string[],
  cwd: string,
  env: Record<string, string>,
  deadline: number,
  signal: AbortSignal,
  log: (s: string) => void,
) {
  const marker = path.join(cwd, '..', 'current-command');
  const values = path.join(cwd, '..', 'exported-variables');
  fs.rmSync(values, { force: true });
  // NUL-separated name=value pairs: a value may hold any other character, newlines included.
  const save = exported
    .map(
      name =>
        `[ -z "\${${name}+set}" ] || printf '%s=%s\\0' ${name} "\$${name}"`,
    )
    .join('; ');
  const script = [
    ...(exported.length
      ? [
          `save_exported() { { ${save}; } > "${values}"; }`,
          'trap save_exported EXIT',
        ]
      : []),
    ...commands.map(
      (c, i) =>
        `echo ${i} > "${marker}"\n${c}\nrc=$?; [ $rc -eq 0 ] || exit $rc`,
    ),
  ].join('\n');
  const readValues = (): Record<string, string> =>
    fs.existsSync(values)
      ? Object.fromEntries(
          fs
            .readFileSync(values, 'utf8')
            .split('\0')
            .filter(Boolean)
            .map(pair => [
              pair.slice(0, pair.indexOf('=')),
              pair.slice(pair.indexOf('=') + 1),
            ]),
        )
      : {};
  return new Promise<{
    failed?: string;
    code?: number;
    timedOut?: boolean;
    values: Record<string, string>;
  }>(resolve => {
    const child = spawn('/bin/sh', ['-c', script], {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let timedOut = false;
    // The commands run in their own process group, so a timeout or the sandbox closing kills what they started too.
    const kill = () => process.kill(-child.pid!, 'SIGKILL');
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, Math.max(0, deadline - Date.now()));
    signal.addEventListener('abort', kill, { once: true });
    child.stdout.on('data', d => log(d.toString()));
    child.stderr.on('data', d => log(d.toString()));
    child.on('close', code => {
      clearTimeout(timer);
      signal.removeEventListener('abort', kill);
      if (code === 0 && !timedOut) {
        resolve({ values: readValues() });
        return;
      }
      const index = Number(
        fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8').trim() : 0,
      );
      resolve({
        failed: commands[index] ?? commands[0],
        code: code ?? undefined,
        timedOut,
        values: readValues(),
      });
    });
  });
}

/** A failed phase's or build's status: a timeout is TIMED_OUT, anything else FAILED. */
const statusOf = (failure: string) =>
  failure.startsWith('BUILD_TIMED_OUT') ? 'TIMED_OUT' : 'FAILED';

const globToRegExp = (glob: string) =>
  new RegExp(
    `^${glob
      .split(/(\*\*\/|\*\*|\*|\?)/)
      .map(part => {
        if (part === '**/') return '(?:.*/)?';
        if (part === '**') return '.*';
        if (part === '*') return '[^/]*';
        if (part === '?') return '[^/]';
        return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
      })
      .join('')}$`,
  );

function filesUnder(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap(entry =>
      entry.isDirectory()
        ? filesUnder(path.join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    );
}

/** Zips the files `artifacts.files` names, relative to `base-directory`. */
async function zipArtifacts(
  srcDir: string,
  artifacts: NonNullable<ReturnType<typeof parseBuildspec>['artifacts']>,
) {
  const base = path.resolve(srcDir, artifacts['base-directory'] ?? '.');
  const patterns = []
    .concat((artifacts.files ?? []) as any)
    .map(String)
    .map(globToRegExp);
  const matched = fs.existsSync(base)
    ? filesUnder(base).filter(f => patterns.some(p => p.test(f)))
    : [];
  if (matched.length === 0)
    fail('CLIENT_ERROR: no matching artifact paths found');
  const discard =
    artifacts['discard-paths'] === true || artifacts['discard-paths'] === 'yes';
  const zip = new JSZip();
  for (const file of matched)
    zip.file(
      discard ? path.basename(file) : file,
      fs.readFileSync(path.join(base, file)),
    );
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/**
 * Runs a build through CodeBuild's phases: DOWNLOAD_SOURCE, INSTALL,
 * PRE_BUILD, BUILD, POST_BUILD, UPLOAD_ARTIFACTS. As
 * https://docs.aws.amazon.com/codebuild/latest/userguide/view-build-details-phases.html
 * shows, a failed INSTALL or PRE_BUILD skips to the end, a failed BUILD
 * still runs POST_BUILD, and UPLOAD_ARTIFACTS is attempted after BUILD
 * (artifacts are kept only from a build that succeeded).
 */
export async function runBuildspec(options: BuildOptions): Promise<BuildRun> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-sandbox-build-'));
  const srcDir = path.join(root, 'src');
  fs.mkdirSync(srcDir);
  fs.symlinkSync(SDK_NODE_MODULES, path.join(root, 'node_modules'), 'dir');
  const deadline = Date.now() + options.timeoutMs;
  let log = '';
  const append = (s: string) => {
    if (log.length < 1_000_000) log += s;
  };
  const phase = async (
    phaseType: string,
    work: () => Promise<string | undefined>,
  ): Promise<string | undefined> => {
    const record: BuildPhase = { phaseType, startTime: nowSeconds() };
    options.onPhase(record);
    let failure: string | undefined;
    try {
      failure = await work();
    } catch (e: any) {
      failure = /^[A-Z_]+: /.test(e.message)
        ? e.message
        : `CLIENT_ERROR: ${e.code ? `${e.code}: ` : ''}${e.message}`;
    }
    record.endTime = nowSeconds();
    record.durationInSeconds = Math.round(record.endTime - record.startTime);
    record.phaseStatus = failure ? statusOf(failure) : 'SUCCEEDED';
    if (failure)
      record.contexts = [
        {
          statusCode: failure.split(':')[0],
          message: failure.slice(failure.indexOf(':') + 2),
        },
      ];
    options.onPhase(record);
    return failure;
  };
  try {
    let spec: ReturnType<typeof parseBuildspec> | undefined;
    let failure = await phase('DOWNLOAD_SOURCE', async () => {
      if (options.source) await unzipTo(options.source(), srcDir);
      const named = options.buildspec ?? 'buildspec.yml';
      const inline = /\n/.test(named) || /^version\s*:/.test(named);
      if (inline) {
        spec = parseBuildspec(named, 'inline buildspec');
        return undefined;
      }
      const file = path.resolve(srcDir, named);
      if (!file.startsWith(srcDir + path.sep) || !fs.existsSync(file)) {
        return `YAML_FILE_ERROR: stat ${path.join(
          '$CODEBUILD_SRC_DIR',
          named,
        )}: no such file or directory`;
      }
      spec = parseBuildspec(fs.readFileSync(file, 'utf8'), named);
      return undefined;
    });
    const exportedVariables: Record<string, string> = {};
    const env: Record<string, string> = {
      PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
      HOME: root,
      NODE_PATH: SDK_NODE_MODULES,
      CODEBUILD_SRC_DIR: srcDir,
      ...options.env,
      ...spec?.variables,
    };
    const commandsOf = (name: string) => async () => {
      const commands = spec!.commands(name);
      if (commands.length === 0) return undefined;
      append(`[Container] Entering phase ${name.toUpperCase()}\n`);
      if (options.signal.aborted)
        return 'CLIENT_ERROR: the sandbox closed during the build';
      const result = await runPhase(
        commands,
        spec!.exported,
        srcDir,
        env,
        deadline,
        options.signal,
        append,
      );
      // An exported variable keeps the value a phase gave it into the later phases, where it may change until POST_BUILD ends
      // (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ExportedEnvironmentVariable.html).
      Object.assign(env, result.values);
      Object.assign(exportedVariables, result.values);
      if (result.timedOut)
        return `BUILD_TIMED_OUT: Build has timed out while running: ${result.failed}`;
      return result.failed === undefined
        ? undefined
        : `COMMAND_EXECUTION_ERROR: Error while executing command: ${result.failed}. Reason: exit status ${result.code}`;
    };
    for (const name of ['install', 'pre_build'] as const) {
      if (!failure) failure = await phase(name.toUpperCase(), commandsOf(name));
    }
    if (!failure) {
      failure = await phase('BUILD', commandsOf('build'));
      env.CODEBUILD_BUILD_SUCCEEDING = failure ? '0' : '1';
      failure =
        (await phase('POST_BUILD', commandsOf('post_build'))) ?? failure;
    }
    let artifact: Buffer | undefined;
    if (spec?.artifacts?.files) {
      const uploadFailure = await phase('UPLOAD_ARTIFACTS', async () => {
        if (!failure) artifact = await zipArtifacts(srcDir, spec!.artifacts!);
        return undefined;
      });
      failure ??= uploadFailure;
    }
    if (failure)
      return { status: statusOf(failure), failure, log, exportedVariables };
    return { status: 'SUCCEEDED', artifact, log, exportedVariables };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
