import {
  BatchGetBuildsCommand,
  BatchGetProjectsCommand,
  CreateProjectCommand,
  CreateProjectCommandInput,
  StartBuildCommand,
} from '@aws-sdk/client-codebuild';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import JSZip from 'jszip';
import {
  clients,
  eventually,
  FRAUD_DEV,
  SHARED,
  useSandbox,
} from '../__testUtils__/clients';
import { ARTIFACT_BUCKET } from '../__testUtils__/deployPipeline';

const BUILD_TIMEOUT_MS = 30_000;

describe('CodeBuild', () => {
  const sandbox = useSandbox();
  const codebuild = () => clients(sandbox.current, SHARED).codebuild;
  const s3 = () => clients(sandbox.current, SHARED).s3;

  const project = (
    name: string,
    buildspec: string,
  ): CreateProjectCommandInput => ({
    name,
    source: {
      type: 'S3',
      location: `${ARTIFACT_BUCKET}/${name}/source.zip`,
      buildspec,
    },
    artifacts: {
      type: 'S3',
      location: ARTIFACT_BUCKET,
      path: name,
      name: 'output.zip',
      packaging: 'ZIP',
    },
    environment: {
      type: 'LINUX_CONTAINER',
      image: 'aws/codebuild/amazonlinux2-x86_64-standard:5.0',
      computeType: 'BUILD_GENERAL1_SMALL',
      environmentVariables: [
        { name: 'GREETING', value: 'hello', type: 'PLAINTEXT' },
      ],
    },
    serviceRole: `arn:aws:iam::${SHARED}:role/ml-deploy-codebuild`,
  });

  async function upload(name: string, files: Record<string, string>) {
    const zip = new JSZip();
    for (const [file, text] of Object.entries(files)) zip.file(file, text);
    await s3().send(
      new PutObjectCommand({
        Bucket: ARTIFACT_BUCKET,
        Key: `${name}/source.zip`,
        Body: await zip.generateAsync({ type: 'nodebuffer' }),
      }),
    );
  }

  const ended = (id: string) =>
    eventually(async () => {
      const { builds: [build] = [] } = await codebuild().send(
        new BatchGetBuildsCommand({ ids: [id] }),
      );
      return build?.buildComplete ? build : undefined;
    }, BUILD_TIMEOUT_MS);

  it(
    'runs the buildspec for real, as the service role, against the sandbox, and uploads its artifacts',
    async () => {
      await upload('whoami', {
        // The SDK the build uses comes from the build image (NODE_PATH), and reaches the sandbox through AWS_ENDPOINT_URL.
        'whoami.js': `
        const { STSClient, GetCallerIdentityCommand, AssumeRoleCommand } = require('@aws-sdk/client-sts');
        const sts = new STSClient({});
        (async () => {
          const id = await sts.send(new GetCallerIdentityCommand({}));
          // A role that trusts this account, but that the build's role has no permission to assume.
          const refused = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::${FRAUD_DEV}:role/ml-promotion-read', RoleSessionName: 'build' })).catch(e => e.name);
          require('fs').writeFileSync('out/identity.json', JSON.stringify({ arn: id.Arn, greeting: process.env.GREETING, phase: process.env.STEP, refused }));
        })();`,
      });
      const { project: created } = await codebuild().send(
        new CreateProjectCommand(
          project(
            'whoami',
            [
              'version: 0.2',
              'env:',
              '  variables:',
              '    STEP: build',
              'phases:',
              '  pre_build:',
              '    commands:',
              '      - mkdir out',
              '  build:',
              '    commands:',
              '      - echo "$CODEBUILD_BUILD_ID in $CODEBUILD_SRC_DIR"',
              '      - node whoami.js',
              'artifacts:',
              '  files: [identity.json]',
              '  base-directory: out',
            ].join('\n'),
          ),
        ),
      );
      expect(created).toMatchObject({
        name: 'whoami',
        arn: `arn:aws:codebuild:us-east-1:${SHARED}:project/whoami`,
        timeoutInMinutes: 60,
      });
      const { projects, projectsNotFound } = await codebuild().send(
        new BatchGetProjectsCommand({ names: ['whoami', 'absent'] }),
      );
      expect(projects?.map(p => p.name)).toEqual(['whoami']);
      expect(projectsNotFound).toEqual(['absent']);

      const { build } = await codebuild().send(
        new StartBuildCommand({ projectName: 'whoami' }),
      );
      expect(build).toMatchObject({
        projectName: 'whoami',
        buildStatus: 'IN_PROGRESS',
        buildNumber: 1,
      });
      const done = await ended(build!.id!);
      expect(done.buildStatus).toBe('SUCCEEDED');
      expect(done.phases?.map(p => [p.phaseType, p.phaseStatus])).toEqual([
        ['DOWNLOAD_SOURCE', 'SUCCEEDED'],
        ['INSTALL', 'SUCCEEDED'],
        ['PRE_BUILD', 'SUCCEEDED'],
        ['BUILD', 'SUCCEEDED'],
        ['POST_BUILD', 'SUCCEEDED'],
        ['UPLOAD_ARTIFACTS', 'SUCCEEDED'],
      ]);
      const output = await s3().send(
        new GetObjectCommand({
          Bucket: ARTIFACT_BUCKET,
          Key: 'whoami/output.zip',
        }),
      );
      const zip = await JSZip.loadAsync(
        await output.Body!.transformToByteArray(),
      );
      expect(
        JSON.parse(await zip.file('identity.json')!.async('string')),
      ).toEqual({
        arn: expect.stringMatching(
          new RegExp(
            `^arn:aws:sts::${SHARED}:assumed-role/ml-deploy-codebuild/AWSCodeBuild-`,
          ),
        ),
        greeting: 'hello',
        phase: 'build',
        refused: 'AccessDenied',
      });
    },
    BUILD_TIMEOUT_MS,
  );

  it(
    'fails the build in the phase whose command exits non-zero, skipping to the end as CodeBuild does',
    async () => {
      await upload('failing', {});
      await codebuild().send(
        new CreateProjectCommand(
          project(
            'failing',
            [
              'version: 0.2',
              'phases:',
              '  pre_build:',
              '    commands:',
              '      - echo checking',
              '      - exit 3',
              '  build:',
              '    commands:',
              '      - echo never',
            ].join('\n'),
          ),
        ),
      );
      const { build } = await codebuild().send(
        new StartBuildCommand({ projectName: 'failing' }),
      );
      const done = await ended(build!.id!);
      expect(done.buildStatus).toBe('FAILED');
      expect(done.phases?.map(p => [p.phaseType, p.phaseStatus])).toEqual([
        ['DOWNLOAD_SOURCE', 'SUCCEEDED'],
        ['INSTALL', 'SUCCEEDED'],
        ['PRE_BUILD', 'FAILED'],
      ]);
      expect(done.phases?.[2].contexts).toEqual([
        {
          statusCode: 'COMMAND_EXECUTION_ERROR',
          message:
            'Error while executing command: exit 3. Reason: exit status 3',
        },
      ]);
    },
    BUILD_TIMEOUT_MS,
  );

  it(
    'exports env.exported-variables with their values at the end of POST_BUILD, set in any phase',
    async () => {
      const buildspec = [
        'version: 0.2',
        'env:',
        '  exported-variables: [RESOLVED, CHANGED_LATER, NEVER_SET]',
        'phases:',
        '  build:',
        '    commands:',
        '      - export RESOLVED="$(printf \'arn:aws:sagemaker:us-east-1:1:model-package/g/3\\nsecond line\')"',
        '      - CHANGED_LATER=build',
        '  post_build:',
        '    commands:',
        '      - test "$CHANGED_LATER" = build',
        '      - CHANGED_LATER="post build, $RESOLVED"',
      ].join('\n');
      await codebuild().send(
        new CreateProjectCommand({
          ...project('exporting', buildspec),
          source: { type: 'NO_SOURCE', buildspec },
          artifacts: { type: 'NO_ARTIFACTS' },
        }),
      );
      const { build } = await codebuild().send(
        new StartBuildCommand({ projectName: 'exporting' }),
      );
      const done = await ended(build!.id!);
      expect(done.buildStatus).toBe('SUCCEEDED');
      const resolved =
        'arn:aws:sagemaker:us-east-1:1:model-package/g/3\nsecond line';
      expect(done.exportedEnvironmentVariables).toEqual([
        { name: 'RESOLVED', value: resolved },
        { name: 'CHANGED_LATER', value: `post build, ${resolved}` },
      ]);
    },
    BUILD_TIMEOUT_MS,
  );

  it(
    'fails a buildspec whose exported-variables is not a list of names, naming it',
    async () => {
      const buildspec =
        'version: 0.2\nenv:\n  exported-variables: "A B"\nphases:\n  build:\n    commands: [echo]\n';
      await codebuild().send(
        new CreateProjectCommand({
          ...project('bad-exports', buildspec),
          source: { type: 'NO_SOURCE', buildspec },
          artifacts: { type: 'NO_ARTIFACTS' },
        }),
      );
      const { build } = await codebuild().send(
        new StartBuildCommand({ projectName: 'bad-exports' }),
      );
      const done = await ended(build!.id!);
      expect(done.phases?.[0].contexts).toEqual([
        {
          statusCode: 'YAML_FILE_ERROR',
          message:
            'inline buildspec: env.exported-variables must be a list of variable names, is "A B"',
        },
      ]);
    },
    BUILD_TIMEOUT_MS,
  );

  it(
    'fails DOWNLOAD_SOURCE when the source object is absent',
    async () => {
      await codebuild().send(
        new CreateProjectCommand(
          project(
            'no-source',
            'version: 0.2\nphases:\n  build:\n    commands: [echo never]\n',
          ),
        ),
      );
      const { build } = await codebuild().send(
        new StartBuildCommand({ projectName: 'no-source' }),
      );
      const done = await ended(build!.id!);
      expect(done.buildStatus).toBe('FAILED');
      expect(done.phases?.[0]).toMatchObject({
        phaseType: 'DOWNLOAD_SOURCE',
        phaseStatus: 'FAILED',
        contexts: [{ statusCode: 'CLIENT_ERROR' }],
      });
    },
    BUILD_TIMEOUT_MS,
  );

  it(
    'fails a buildspec using what the sandbox does not simulate, naming it',
    async () => {
      const buildspec =
        'version: 0.2\nphases:\n  build:\n    on-failure: CONTINUE\n    commands: [exit 1]\n';
      await codebuild().send(
        new CreateProjectCommand({
          ...project('on-failure', buildspec),
          source: { type: 'NO_SOURCE', buildspec },
          artifacts: { type: 'NO_ARTIFACTS' },
        }),
      );
      const { build } = await codebuild().send(
        new StartBuildCommand({ projectName: 'on-failure' }),
      );
      const done = await ended(build!.id!);
      expect(done.phases?.[0]).toMatchObject({
        phaseType: 'DOWNLOAD_SOURCE',
        phaseStatus: 'FAILED',
        contexts: [
          {
            statusCode: 'YAML_FILE_ERROR',
            message:
              'inline buildspec: phases.build.on-failure is not simulated by the sandbox',
          },
        ],
      });
    },
    BUILD_TIMEOUT_MS,
  );

  it('refuses a service role CodeBuild cannot assume, a taken name, and a pipeline project started directly', async () => {
    const untrusted = await codebuild()
      .send(
        new CreateProjectCommand({
          ...project('untrusted', 'version: 0.2'),
          serviceRole: `arn:aws:iam::${SHARED}:role/ml-deploy-pipeline`,
        }),
      )
      .catch(e => e);
    expect(untrusted).toMatchObject({
      name: 'InvalidInputException',
      message: `CodeBuild is not authorized to perform: sts:AssumeRole on arn:aws:iam::${SHARED}:role/ml-deploy-pipeline`,
    });
    await codebuild().send(
      new CreateProjectCommand(project('taken', 'version: 0.2')),
    );
    const taken = await codebuild()
      .send(new CreateProjectCommand(project('taken', 'version: 0.2')))
      .catch(e => e);
    expect(taken.name).toBe('ResourceAlreadyExistsException');
    await codebuild().send(
      new CreateProjectCommand({
        ...project('in-pipeline', 'buildspec.yml'),
        source: { type: 'CODEPIPELINE', buildspec: 'buildspec.yml' },
        artifacts: { type: 'CODEPIPELINE' },
      }),
    );
    const direct = await codebuild()
      .send(new StartBuildCommand({ projectName: 'in-pipeline' }))
      .catch(e => e);
    expect(direct).toMatchObject({
      name: 'InvalidInputException',
      message:
        'Project in-pipeline has source type CODEPIPELINE: its pipeline starts its builds',
    });
  });
});
