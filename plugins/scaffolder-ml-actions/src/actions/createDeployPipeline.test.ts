import {
  BatchGetProjectsCommand,
  CodeBuildClient,
} from '@aws-sdk/client-codebuild';
import {
  CodePipelineClient,
  GetPipelineCommand,
  GetPipelineStateCommand,
  PutApprovalResultCommand,
} from '@aws-sdk/client-codepipeline';
import {
  EventBridgeClient,
  ListTargetsByRuleCommand,
} from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateModelPackageCommand,
  DescribeEndpointCommand,
  ListTagsCommand,
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { ensureModelPackageGroup } from '@ml-governance/plugin-ml-registry-node';
import JSZip from 'jszip';
import {
  contextWith,
  exampleInput,
  runFirstExampleWith,
  startActionSandbox,
  until,
} from '../__testUtils__/actionSandbox';
import { createDeployPipelineAction } from './createDeployPipeline';
import { examples } from './createDeployPipeline.examples';

const SHARED = '111111111111';
const BUCKET = `ml-deploy-artifacts-${SHARED}`;

describe('codepipeline:deploy-pipeline:create', () => {
  let env: Awaited<ReturnType<typeof startActionSandbox>>;
  let action: ReturnType<typeof createDeployPipelineAction>;
  /** The Create and Put calls the sandbox served since the counters were reset. */
  const writes = () =>
    Object.keys(env.sandbox.counters())
      .filter(op => /:(Create|Put)/.test(op))
      .sort();
  beforeAll(async () => {
    env = await startActionSandbox();
    action = createDeployPipelineAction({
      config: env.config,
      clients: env.clients,
    });
  });
  afterAll(() => env.close());

  it('runs its example: an approval in the central registry starts the pipeline, which deploys the version to test, tests it, waits for governance, then deploys it to prod', async () => {
    // A new central model, whose first version waits for the ML engineer.
    const central = new SageMakerClient(env.as(SHARED));
    // Shared with test and prod, as promotion makes central groups.
    await ensureModelPackageGroup(central, {
      name: 'credit-risk',
      accountId: SHARED,
      region: 'us-east-1',
      readerAccountIds: ['333333333333', '444444444444'],
    });
    const { ModelPackageArn } = await central.send(
      new CreateModelPackageCommand({
        ModelPackageGroupName: 'credit-risk',
        ModelApprovalStatus: 'PendingManualApproval',
        InferenceSpecification: {
          Containers: [
            {
              Image:
                '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
              ModelDataUrl:
                's3://ml-shared-artifacts-111111111111/credit-risk/v1/model.tar.gz',
            },
          ],
          SupportedContentTypes: ['text/csv'],
          SupportedResponseMIMETypes: ['text/csv'],
        },
      }),
    );

    const input = exampleInput(examples[0]);
    const { ctx } = contextWith(input);
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'pipelineName',
      'credit-risk-deploy',
    );
    expect(ctx.output).toHaveBeenCalledWith('created', true);
    expect(ctx.output).toHaveBeenCalledWith(
      'prodEndpointEntityRef',
      'component:default/ml-prod--credit-risk-prod',
    );

    // The pieces: the build code, the two projects, the pipeline, the rule and its target.
    const source = await new S3Client({
      ...env.as(SHARED),
      forcePathStyle: true,
    }).send(
      new GetObjectCommand({
        Bucket: BUCKET,
        Key: 'credit-risk-deploy/source.zip',
      }),
    );
    const zip = await JSZip.loadAsync(
      await source.Body!.transformToByteArray(),
    );
    expect(Object.keys(zip.files).sort()).toEqual([
      'build.mjs',
      'buildEnv.mjs',
      'buildspec.yml',
      'integration-test.mjs',
      'test-buildspec.yml',
    ]);
    const { projects } = await new CodeBuildClient(env.as(SHARED)).send(
      new BatchGetProjectsCommand({
        names: ['credit-risk-deploy-build', 'credit-risk-deploy-test'],
      }),
    );
    expect(projects!.map(p => [p.name, p.serviceRole])).toEqual([
      [
        'credit-risk-deploy-build',
        `arn:aws:iam::${SHARED}:role/ml-deploy-codebuild`,
      ],
      [
        'credit-risk-deploy-test',
        `arn:aws:iam::${SHARED}:role/ml-deploy-codebuild`,
      ],
    ]);
    const codepipeline = new CodePipelineClient(env.as(SHARED));
    const { pipeline } = await codepipeline.send(
      new GetPipelineCommand({ name: 'credit-risk-deploy' }),
    );
    expect(
      pipeline!.stages!.map(s => [
        s.name,
        s.actions!.map(
          a =>
            `${a.name}: ${a.actionTypeId!.category}/${
              a.actionTypeId!.provider
            }`,
        ),
      ]),
    ).toEqual([
      ['Source', ['Source: Source/S3']],
      ['Build', ['Build: Build/CodeBuild']],
      [
        'DeployTest',
        [
          'DeployTest: Deploy/CloudFormation',
          'IntegrationTest: Test/CodeBuild',
        ],
      ],
      ['GovernanceApproval', ['GovernanceApproval: Approval/Manual']],
      ['DeployProd', ['DeployProd: Deploy/CloudFormation']],
    ]);
    expect(pipeline!.stages![2].actions![0].roleArn).toBe(
      'arn:aws:iam::333333333333:role/ml-deploy-cross-account',
    );
    expect(pipeline!.artifactStore).toEqual({
      type: 'S3',
      location: BUCKET,
      encryptionKey: { id: input.kmsKeyArn, type: 'KMS' },
    });
    const { Targets } = await new EventBridgeClient(env.as(SHARED)).send(
      new ListTargetsByRuleCommand({ Rule: 'credit-risk-deploy-on-approval' }),
    );
    expect(Targets).toEqual([
      expect.objectContaining({
        Arn: `arn:aws:codepipeline:us-east-1:${SHARED}:credit-risk-deploy`,
        RoleArn: `arn:aws:iam::${SHARED}:role/ml-deploy-events`,
      }),
    ]);

    // The ML engineer approves the version: the rule starts the pipeline, whose build picks that version.
    await central.send(
      new UpdateModelPackageCommand({
        ModelPackageArn,
        ModelApprovalStatus: 'Approved',
      }),
    );
    const token = await until(
      'the governance approval',
      async () => {
        const state = await codepipeline.send(
          new GetPipelineStateCommand({ name: 'credit-risk-deploy' }),
        );
        const failed = state.stageStates
          ?.flatMap(st => st.actionStates ?? [])
          .find(a => a.latestExecution?.status === 'Failed');
        if (failed)
          throw new Error(
            `${failed.actionName} failed: ${failed.latestExecution?.errorDetails?.message}`,
          );
        return state.stageStates?.find(
          st => st.stageName === 'GovernanceApproval',
        )?.actionStates?.[0]?.latestExecution?.token;
      },
      60_000,
    );
    const test = new SageMakerClient(env.as('333333333333'));
    const { EndpointStatus, EndpointArn } = await test.send(
      new DescribeEndpointCommand({ EndpointName: 'credit-risk-test' }),
    );
    expect(EndpointStatus).toBe('InService');
    expect(
      (await test.send(new ListTagsCommand({ ResourceArn: EndpointArn }))).Tags,
    ).toContainEqual({
      Key: 'sagemaker:model-package-arn',
      Value: ModelPackageArn,
    });

    await codepipeline.send(
      new PutApprovalResultCommand({
        pipelineName: 'credit-risk-deploy',
        stageName: 'GovernanceApproval',
        actionName: 'GovernanceApproval',
        token,
        result: { status: 'Approved', summary: 'reviewed' },
      }),
    );
    const prod = new SageMakerClient(env.as('444444444444'));
    await until(
      'the prod endpoint',
      async () =>
        (
          await prod
            .send(
              new DescribeEndpointCommand({ EndpointName: 'credit-risk-prod' }),
            )
            .catch(() => undefined)
        )?.EndpointStatus === 'InService',
      60_000,
    );
  }, 120_000);

  it('finds every piece on a re-run and leaves it, making nothing', async () => {
    env.sandbox.core.resetCounters();
    const { ctx, logged } = contextWith({
      ...exampleInput(examples[0]),
      modelPackageGroupName: 'fraud-detection',
    });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('created', false);
    expect(logged()).toEqual([
      'Deploy pipeline fraud-detection-deploy already exists with its build projects, source and rule; left as it is',
    ]);
    expect(writes()).toEqual([]);
  });

  it('names what a half-made set misses and completes it', async () => {
    const input = {
      ...exampleInput(examples[0]),
      modelPackageGroupName: 'fraud-detection',
      name: 'fraud-half-deploy',
    };
    env.sandbox.setFaults([
      { account: SHARED, operation: 'PutRule', accessDenied: true },
    ]);
    await expect(action.handler(contextWith(input).ctx)).rejects.toThrow(
      /^Could not create deploy pipeline fraud-half-deploy in ml-shared-services \(111111111111\): AccessDeniedException: /,
    );
    env.sandbox.setFaults([]);

    env.sandbox.core.resetCounters();
    const { ctx } = contextWith(input);
    await action.handler(ctx);
    expect(ctx.logger.warn).toHaveBeenCalledWith(
      'Deploy pipeline fraud-half-deploy is half made: EventBridge rule fraud-half-deploy-on-approval, ' +
        `its target arn:aws:codepipeline:us-east-1:${SHARED}:fraud-half-deploy missing; creating them`,
    );
    expect(ctx.output).toHaveBeenCalledWith('created', false);
    expect(writes()).toEqual(['events:PutRule', 'events:PutTargets']);
  });

  it('reports what it would create in a dry run, without calling AWS', async () => {
    env.sandbox.core.resetCounters();
    const { ctx, logged } = contextWith(
      {
        ...exampleInput(examples[0]),
        modelPackageGroupName: 'fraud-detection',
      },
      { dryRun: true },
    );
    await action.handler(ctx);
    expect(logged()).toEqual([
      'Would create fraud-detection-deploy in ml-shared-services (build, deploy to ml-test (fraud-detection-test), integration test, ' +
        'governance approval, deploy to ml-prod (fraud-detection-prod)), started by rule fraud-detection-deploy-on-approval when a version of fraud-detection is approved or rejected',
    ]);
    expect(env.sandbox.counters()).toEqual({});
  });

  it('surfaces an AWS failure naming the pipeline and account', async () => {
    env.sandbox.setFaults([
      { account: SHARED, operation: 'CreatePipeline', accessDenied: true },
    ]);
    const { ctx } = contextWith({
      ...exampleInput(examples[0]),
      modelPackageGroupName: 'fraud-detection',
      name: 'denied-deploy',
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      /^Could not create deploy pipeline denied-deploy in ml-shared-services \(111111111111\): AccessDeniedException: /,
    );
    env.sandbox.setFaults([]);
  });

  it('takes the central model by its ARN, as the deploy template passes it from the model entity', async () => {
    const { kmsKeyArn } = exampleInput(examples[0]);
    const { ctx, logged } = contextWith(
      {
        modelPackageGroupArn:
          'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/fraud-detection',
        testAccount: 'ml-test',
        prodAccount: 'ml-prod',
        kmsKeyArn,
      },
      { dryRun: true },
    );
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'pipelineName',
      'fraud-detection-deploy',
    );
    expect(logged()[0]).toMatch(
      /^Would create fraud-detection-deploy in ml-shared-services/,
    );
    await expect(
      action.handler(
        contextWith({
          modelPackageGroupArn:
            'arn:aws:sagemaker:us-east-1:222222222222:model-package-group/x',
          testAccount: 'ml-test',
          prodAccount: 'ml-prod',
          kmsKeyArn,
        }).ctx,
      ),
    ).rejects.toThrow(
      'modelPackageGroupArn: fraud-dev is a dev account, not shared-services',
    );
  });

  it('rejects accounts of the wrong kind and names that do not fit before any AWS call', async () => {
    env.sandbox.core.resetCounters();
    await expect(
      runFirstExampleWith(action, examples, { testAccount: 'ml-prod' }),
    ).rejects.toThrow('testAccount: ml-prod is a prod account, not test');
    await expect(
      runFirstExampleWith(action, examples, { account: 'fraud-dev' }),
    ).rejects.toThrow(
      'account: fraud-dev is a dev account, not shared-services',
    );
    // <group>-deploy-on-approval would pass EventBridge's 64 characters.
    await expect(
      runFirstExampleWith(action, examples, {
        modelPackageGroupName: 'a'.repeat(50),
      }),
    ).rejects.toThrow(
      `The default pipeline name ${'a'.repeat(
        50,
      )}-deploy is not valid: a letter or digit, then letters, digits, _ and -, at most 52 characters; give a name that is`,
    );
    expect(env.sandbox.counters()).toEqual({});
  });
});
