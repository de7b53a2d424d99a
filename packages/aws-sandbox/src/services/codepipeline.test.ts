import { BatchGetBuildsCommand } from '@aws-sdk/client-codebuild';
import {
  CreatePipelineCommand,
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  InvalidApprovalTokenException,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  PipelineExecutionNotFoundException,
  PipelineNotFoundException,
  PutApprovalResultCommand,
  StartPipelineExecutionCommand,
  UpdatePipelineCommand,
} from '@aws-sdk/client-codepipeline';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  DescribeEndpointCommand,
  ListTagsCommand,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { GetQueueUrlCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import {
  clients,
  eventually,
  PROD,
  SHARED,
  TEST,
  TOOLING,
  useSandbox,
} from '../__testUtils__/clients';
import {
  centralGroup,
  createDeployPipeline,
  deployValues,
  renderBundle,
} from '../__testUtils__/deployPipeline';

const BUILD_TIMEOUT_MS = 60_000;

describe('CodePipeline', () => {
  const sandbox = useSandbox();
  const shared = () => clients(sandbox.current, SHARED);

  const state = (name: string) =>
    shared().codepipeline.send(new GetPipelineStateCommand({ name }));

  async function approvalToken(name: string, executionId: string) {
    return eventually(async () => {
      const stage = (await state(name)).stageStates?.find(
        s => s.stageName === 'GovernanceApproval',
      );
      const latest = stage?.actionStates?.[0].latestExecution;
      return stage?.latestExecution?.pipelineExecutionId === executionId &&
        latest?.status === 'InProgress'
        ? latest.token
        : undefined;
    }, BUILD_TIMEOUT_MS);
  }

  async function finished(name: string, pipelineExecutionId: string) {
    return eventually(async () => {
      const { pipelineExecution } = await shared().codepipeline.send(
        new GetPipelineExecutionCommand({
          pipelineName: name,
          pipelineExecutionId,
        }),
      );
      return pipelineExecution?.status === 'InProgress'
        ? undefined
        : pipelineExecution;
    }, BUILD_TIMEOUT_MS);
  }

  const served = async (account: string, endpointName: string) => {
    const { sagemaker } = clients(sandbox.current, account);
    const endpoint = await sagemaker.send(
      new DescribeEndpointCommand({ EndpointName: endpointName }),
    );
    const { Tags } = await sagemaker.send(
      new ListTagsCommand({ ResourceArn: endpoint.EndpointArn }),
    );
    return {
      status: endpoint.EndpointStatus,
      modelPackageArn: Tags?.find(t => t.Key === 'sagemaker:model-package-arn')
        ?.Value,
    };
  };

  it(
    'runs the deploy pipeline as AWS does: the central approval starts it, it builds, deploys to test, tests, waits for governance, deploys to prod',
    async () => {
      const packageArn = await centralGroup(sandbox.current, 'e2e-model');
      await createDeployPipeline(
        sandbox.current,
        deployValues('e2e', 'e2e-model'),
      );
      expect(
        (
          await shared().codepipeline.send(
            new GetPipelineCommand({ name: 'e2e-deploy' }),
          )
        ).pipeline?.stages?.map(s => s.name),
      ).toEqual([
        'Source',
        'Build',
        'DeployTest',
        'GovernanceApproval',
        'DeployProd',
      ]);

      await shared().sagemaker.send(
        new UpdateModelPackageCommand({
          ModelPackageArn: packageArn,
          ModelApprovalStatus: 'Approved',
        }),
      );
      const { pipelineExecutionSummaries: [run] = [] } = await eventually(() =>
        shared()
          .codepipeline.send(
            new ListPipelineExecutionsCommand({ pipelineName: 'e2e-deploy' }),
          )
          .then(r => (r.pipelineExecutionSummaries?.length ? r : undefined)),
      );
      expect(run.trigger).toEqual({
        triggerType: 'CloudWatchEvent',
        triggerDetail: `arn:aws:events:us-east-1:${SHARED}:rule/e2e-deploy-on-approval`,
      });

      const token = await approvalToken('e2e-deploy', run.pipelineExecutionId!);
      expect(await served(TEST, 'e2e-model-test')).toEqual({
        status: 'InService',
        modelPackageArn: packageArn,
      });
      const pipelineState = await state('e2e-deploy');
      expect(
        pipelineState.stageStates?.map(s => [
          s.stageName,
          s.actionStates?.map(a => [a.actionName, a.latestExecution?.status]),
        ]),
      ).toEqual([
        ['Source', [['Source', 'Succeeded']]],
        ['Build', [['Build', 'Succeeded']]],
        [
          'DeployTest',
          [
            ['DeployTest', 'Succeeded'],
            ['IntegrationTest', 'Succeeded'],
          ],
        ],
        ['GovernanceApproval', [['GovernanceApproval', 'InProgress']]],
        ['DeployProd', [['DeployProd', undefined]]],
      ]);
      const buildId =
        pipelineState.stageStates![1].actionStates![0].latestExecution!
          .externalExecutionId!;
      const { builds: [build] = [] } = await shared().codebuild.send(
        new BatchGetBuildsCommand({ ids: [buildId] }),
      );
      expect(build).toMatchObject({
        buildStatus: 'SUCCEEDED',
        projectName: 'e2e-deploy-build',
        initiator: 'codepipeline/e2e-deploy',
      });
      expect(build.phases?.map(p => p.phaseType)).toEqual([
        'DOWNLOAD_SOURCE',
        'INSTALL',
        'PRE_BUILD',
        'BUILD',
        'POST_BUILD',
        'UPLOAD_ARTIFACTS',
      ]);
      await expect(served(PROD, 'e2e-model-prod')).rejects.toThrow(
        'Could not find endpoint',
      );
      // The build's exported variable is the Build action's output variable: which version this execution deploys.
      const { actionExecutionDetails } = await shared().codepipeline.send(
        new ListActionExecutionsCommand({
          pipelineName: 'e2e-deploy',
          filter: { pipelineExecutionId: run.pipelineExecutionId },
        }),
      );
      expect(
        Object.fromEntries(
          actionExecutionDetails!.map(a => [a.actionName, a.status]),
        ),
      ).toEqual({
        Source: 'Succeeded',
        Build: 'Succeeded',
        DeployTest: 'Succeeded',
        IntegrationTest: 'Succeeded',
        GovernanceApproval: 'InProgress',
      });
      expect(
        actionExecutionDetails?.find(a => a.actionName === 'Build'),
      ).toMatchObject({
        input: {
          namespace: 'BuildVariables',
          configuration: { ProjectName: 'e2e-deploy-build' },
        },
        output: {
          outputVariables: { MODEL_PACKAGE_ARN: packageArn },
          executionResult: { externalExecutionId: buildId },
        },
      });
      expect(
        actionExecutionDetails?.find(a => a.actionName === 'DeployTest')?.output
          ?.outputVariables,
      ).toBeUndefined();
      await expect(
        shared().codepipeline.send(
          new ListActionExecutionsCommand({
            pipelineName: 'e2e-deploy',
            filter: {
              pipelineExecutionId: '00000000-0000-4000-8000-000000000000',
            },
          }),
        ),
      ).rejects.toBeInstanceOf(PipelineExecutionNotFoundException);

      const wrong = await shared()
        .codepipeline.send(
          new PutApprovalResultCommand({
            pipelineName: 'e2e-deploy',
            stageName: 'GovernanceApproval',
            actionName: 'GovernanceApproval',
            token: '00000000-0000-4000-8000-000000000000',
            result: { status: 'Approved', summary: 'ok' },
          }),
        )
        .catch(e => e);
      expect(wrong).toBeInstanceOf(InvalidApprovalTokenException);
      await shared().codepipeline.send(
        new PutApprovalResultCommand({
          pipelineName: 'e2e-deploy',
          stageName: 'GovernanceApproval',
          actionName: 'GovernanceApproval',
          token,
          result: {
            status: 'Approved',
            summary:
              'Model card, metrics and bias report reviewed by grace.governance',
          },
        }),
      );
      expect(
        await finished('e2e-deploy', run.pipelineExecutionId!),
      ).toMatchObject({ status: 'Succeeded' });
      expect(await served(PROD, 'e2e-model-prod')).toEqual({
        status: 'InService',
        modelPackageArn: packageArn,
      });

      // A second run (the approver's retry) updates the same stacks, and stops at a rejection, visibly.
      const { pipelineExecutionId } = await shared().codepipeline.send(
        new StartPipelineExecutionCommand({ name: 'e2e-deploy' }),
      );
      const again = await approvalToken('e2e-deploy', pipelineExecutionId!);
      await shared().codepipeline.send(
        new PutApprovalResultCommand({
          pipelineName: 'e2e-deploy',
          stageName: 'GovernanceApproval',
          actionName: 'GovernanceApproval',
          token: again,
          result: { status: 'Rejected', summary: 'Bias report missing' },
        }),
      );
      expect(await finished('e2e-deploy', pipelineExecutionId!)).toMatchObject({
        status: 'Failed',
        statusSummary: 'Rejected: Bias report missing',
      });
      // A stage the second run did not reach shows the first run's execution, as GetPipelineState does.
      const stages = (await state('e2e-deploy')).stageStates!;
      expect(
        stages.find(s => s.stageName === 'GovernanceApproval')?.latestExecution,
      ).toEqual({ pipelineExecutionId, status: 'Failed' });
      expect(
        stages.find(s => s.stageName === 'DeployProd')?.latestExecution,
      ).toEqual({
        pipelineExecutionId: run.pipelineExecutionId,
        status: 'Succeeded',
      });
    },
    2 * BUILD_TIMEOUT_MS,
  );

  it(
    "fails the execution with the build's failing phase when the group has no Approved version",
    async () => {
      await centralGroup(sandbox.current, 'nothing-approved');
      await createDeployPipeline(
        sandbox.current,
        deployValues('nothing-approved', 'nothing-approved'),
      );
      const { pipelineExecutionId } = await shared().codepipeline.send(
        new StartPipelineExecutionCommand({ name: 'nothing-approved-deploy' }),
      );
      const run = await finished(
        'nothing-approved-deploy',
        pipelineExecutionId!,
      );
      const failure =
        'Build terminated with state: FAILED. Phase: BUILD, Code: COMMAND_EXECUTION_ERROR, Message: Error while executing command: node build.mjs. Reason: exit status 1';
      expect(run).toMatchObject({ status: 'Failed', statusSummary: failure });
      const build = (await state('nothing-approved-deploy')).stageStates?.find(
        s => s.stageName === 'Build',
      );
      expect(build?.latestExecution?.status).toBe('Failed');
      expect(build?.actionStates?.[0].latestExecution).toMatchObject({
        status: 'Failed',
        errorDetails: { code: 'JobFailed', message: failure },
      });
    },
    BUILD_TIMEOUT_MS,
  );

  it(
    "fails the deploy when the test account may not read the central group's package",
    async () => {
      const packageArn = await centralGroup(sandbox.current, 'unshared', {
        unshared: true,
      });
      await shared().sagemaker.send(
        new UpdateModelPackageCommand({
          ModelPackageArn: packageArn,
          ModelApprovalStatus: 'Approved',
        }),
      );
      await createDeployPipeline(
        sandbox.current,
        deployValues('unshared', 'unshared'),
      );
      const { pipelineExecutionId } = await shared().codepipeline.send(
        new StartPipelineExecutionCommand({ name: 'unshared-deploy' }),
      );
      const run = await finished('unshared-deploy', pipelineExecutionId!);
      expect(run?.statusSummary).toMatch(
        new RegExp(
          `^Stack unshared-test: resource Model \\(AWS::SageMaker::Model\\): User: arn:aws:sts::${TEST}:assumed-role/ml-deploy-cloudformation/.* is not authorized to perform: sagemaker:DescribeModelPackage`,
        ),
      );
      const deployTest = (await state('unshared-deploy')).stageStates?.find(
        s => s.stageName === 'DeployTest',
      );
      expect(
        deployTest?.actionStates?.map(a => [
          a.actionName,
          a.latestExecution?.status,
        ]),
      ).toEqual([
        ['DeployTest', 'Failed'],
        ['IntegrationTest', undefined],
      ]);
    },
    BUILD_TIMEOUT_MS,
  );

  it('fails the source action when the source object is absent, or its bucket one the pipeline role may not read', async () => {
    const { pipeline } = renderBundle(deployValues('no-source', 'no-source'));
    await shared().codepipeline.send(new CreatePipelineCommand({ pipeline }));
    const { pipelineExecutionId } = await shared().codepipeline.send(
      new StartPipelineExecutionCommand({ name: 'no-source-deploy' }),
    );
    expect(
      await finished('no-source-deploy', pipelineExecutionId!),
    ).toMatchObject({
      status: 'Failed',
      statusSummary: `The object with key 'no-source-deploy/source.zip' does not exist in bucket 'ml-deploy-artifacts-${SHARED}'.`,
    });

    const elsewhere = renderBundle(
      deployValues('elsewhere', 'elsewhere'),
    ).pipeline;
    elsewhere.stages[0].actions[0].configuration.S3Bucket = `ml-shared-artifacts-${SHARED}`;
    await shared().codepipeline.send(
      new CreatePipelineCommand({ pipeline: elsewhere }),
    );
    const { pipelineExecutionId: id } = await shared().codepipeline.send(
      new StartPipelineExecutionCommand({ name: 'elsewhere-deploy' }),
    );
    expect((await finished('elsewhere-deploy', id!))?.statusSummary).toMatch(
      new RegExp(
        `^User: arn:aws:sts::${SHARED}:assumed-role/ml-deploy-pipeline/.* is not authorized to perform: s3:GetBucketVersioning on resource: arn:aws:s3:::ml-shared-artifacts-${SHARED}`,
      ),
    );
  });

  it('starts a pipeline from a rule only through a role EventBridge may assume and that may start it', async () => {
    const { pipeline } = renderBundle(
      deployValues('not-started', 'not-started'),
    );
    await shared().codepipeline.send(new CreatePipelineCommand({ pipeline }));
    await shared().events.send(
      new PutRuleCommand({
        Name: 'not-started',
        EventPattern: JSON.stringify({
          source: ['aws.sagemaker'],
          detail: { ModelPackageGroupName: ['not-started'] },
        }),
      }),
    );
    const arn = `arn:aws:codepipeline:us-east-1:${SHARED}:not-started-deploy`;
    const noRole = await shared()
      .events.send(
        new PutTargetsCommand({
          Rule: 'not-started',
          Targets: [{ Id: 'no-role', Arn: arn }],
        }),
      )
      .catch(e => e);
    expect(noRole).toMatchObject({
      name: 'ValidationException',
      message: `RoleArn is required for target ${arn}.`,
    });
    // CodeBuild's role: EventBridge cannot assume it.
    await shared().events.send(
      new PutTargetsCommand({
        Rule: 'not-started',
        Targets: [
          {
            Id: 'untrusted',
            Arn: arn,
            RoleArn: `arn:aws:iam::${SHARED}:role/ml-deploy-codebuild`,
          },
        ],
      }),
    );
    const packageArn = await centralGroup(sandbox.current, 'not-started');
    await shared().sagemaker.send(
      new UpdateModelPackageCommand({
        ModelPackageArn: packageArn,
        ModelApprovalStatus: 'Approved',
      }),
    );
    await new Promise(r => setTimeout(r, 200));
    expect(
      (
        await shared().codepipeline.send(
          new ListPipelineExecutionsCommand({
            pipelineName: 'not-started-deploy',
          }),
        )
      ).pipelineExecutionSummaries,
    ).toEqual([]);
  });

  it(
    'runs the seeded churn deploy pipeline to the governance gate, telling the Backstage queue',
    async () => {
      const { pipelineExecutionSummaries: [run] = [] } =
        await shared().codepipeline.send(
          new ListPipelineExecutionsCommand({
            pipelineName: 'churn-prediction-deploy',
          }),
        );
      expect(
        await approvalToken(
          'churn-prediction-deploy',
          run.pipelineExecutionId!,
        ),
      ).toEqual(expect.any(String));
      const { sqs } = clients(sandbox.current, TOOLING);
      const { QueueUrl } = await sqs.send(
        new GetQueueUrlCommand({ QueueName: 'ml-registry-events' }),
      );
      const events: any[] = [];
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: 600,
          }),
        );
        if (Messages.length === 0) break;
        events.push(...Messages.map(m => JSON.parse(m.Body!)));
      }
      expect(events).toContainEqual(
        expect.objectContaining({
          source: 'aws.codepipeline',
          'detail-type': 'CodePipeline Action Execution State Change',
          account: SHARED,
          detail: expect.objectContaining({
            pipeline: 'churn-prediction-deploy',
            stage: 'GovernanceApproval',
            action: 'GovernanceApproval',
            state: 'STARTED',
            type: expect.objectContaining({
              category: 'Approval',
              provider: 'Manual',
            }),
          }),
        }),
      );
      expect(events).toContainEqual(
        expect.objectContaining({
          'detail-type': 'CodePipeline Stage Execution State Change',
          detail: expect.objectContaining({
            stage: 'DeployTest',
            state: 'SUCCEEDED',
          }),
        }),
      );
    },
    BUILD_TIMEOUT_MS,
  );

  describe("refuses what CodePipeline's documented rules refuse", () => {
    const refusal = async (change: (pipeline: any) => void) => {
      const { pipeline } = renderBundle(deployValues('rules', 'rules-model'));
      change(pipeline);
      return shared()
        .codepipeline.send(new CreatePipelineCommand({ pipeline }))
        .catch(e => e);
    };
    const stage = (pipeline: any, name: string) =>
      pipeline.stages.find((s: any) => s.name === name);

    it('an action type CodePipeline does not offer', async () => {
      const error = await refusal(p => {
        stage(p, 'DeployTest').actions[0].actionTypeId.provider = 'SageMaker';
      });
      expect(error.name).toBe('InvalidActionDeclarationException');
      expect(error.message).toBe(
        "ActionType (Category: 'Deploy', Provider: 'SageMaker', Owner: 'AWS', Version: '1') in action 'DeployTest' is not available in region 'US_EAST_1'",
      );
    });

    it.each([
      [
        'Build',
        'ProjectName',
        "Action configuration for action 'Build' is missing required configuration 'ProjectName'",
      ],
      [
        'Source',
        'S3ObjectKey',
        "Action configuration for action 'Source' is missing required configuration 'S3ObjectKey'",
      ],
      [
        'DeployTest',
        'RoleArn',
        "Action configuration for action 'DeployTest' is missing required configuration 'RoleArn'",
      ],
      [
        'DeployTest',
        'TemplatePath',
        "Action configuration for action 'DeployTest' is missing required configuration 'TemplatePath'",
      ],
    ])(
      'a %s action without its required configuration %s',
      async (stageName, key, message) => {
        const error = await refusal(p => {
          delete stage(p, stageName).actions[0].configuration[key];
        });
        expect(error).toMatchObject({
          name: 'InvalidActionDeclarationException',
          message,
        });
      },
    );

    it('artifact counts outside what the provider takes', async () => {
      const error = await refusal(p => {
        stage(p, 'Build').actions[0].inputArtifacts = [];
      });
      expect(error).toMatchObject({
        name: 'InvalidActionDeclarationException',
        message:
          'Action Build declares 0 input artifacts which is less than the minimum count (1)',
      });
    });

    it('a source action outside the first stage, and another action in it', async () => {
      const late = await refusal(p => {
        p.stages[1].actions.push({
          ...p.stages[0].actions[0],
          name: 'LateSource',
          outputArtifacts: [{ name: 'Late' }],
        });
      });
      expect(late).toMatchObject({
        name: 'InvalidStructureException',
        message: expect.stringContaining(
          'source actions may only be in the first stage',
        ),
      });
      const early = await refusal(p => {
        p.stages[0].actions.push({
          ...p.stages[1].actions[0],
          name: 'EarlyBuild',
          inputArtifacts: [{ name: 'SourceArtifact' }],
          outputArtifacts: [],
        });
      });
      expect(early).toMatchObject({
        name: 'InvalidStructureException',
        message: expect.stringContaining('it may contain only source actions'),
      });
    });

    it('an input artifact no earlier action outputs, and names used twice', async () => {
      const unknown = await refusal(p => {
        stage(p, 'DeployProd').actions[0].inputArtifacts = [
          { name: 'TestArtifact' },
        ];
      });
      expect(unknown).toMatchObject({
        name: 'InvalidStructureException',
        message:
          "Input artifact 'TestArtifact' of action 'DeployProd' is not the output artifact of any action that runs before it.",
      });
      const twice = await refusal(p => {
        stage(p, 'DeployProd').actions[0].name = 'DeployTest';
      });
      expect(twice).toMatchObject({
        name: 'InvalidActionDeclarationException',
        message: expect.stringContaining(
          "Action name 'DeployTest' is used more than once",
        ),
      });
    });

    it('a cross-account action without a customer managed KMS key on the artifact store', async () => {
      const error = await refusal(p => {
        delete p.artifactStore.encryptionKey;
      });
      expect(error).toMatchObject({
        name: 'InvalidStructureException',
        message: expect.stringContaining(
          `uses a role of account ${TEST}: a cross-account action needs the artifact store to be encrypted with a customer managed AWS KMS key`,
        ),
      });
    });

    it('a service role CodePipeline cannot assume', async () => {
      const error = await refusal(p => {
        p.roleArn = `arn:aws:iam::${SHARED}:role/ml-deploy-codebuild`;
      });
      expect(error).toMatchObject({
        name: 'InvalidStructureException',
        message: `CodePipeline is not authorized to perform AssumeRole on role arn:aws:iam::${SHARED}:role/ml-deploy-codebuild`,
      });
    });

    it('accepts the valid declaration, and UpdatePipeline checks it the same and bumps the version', async () => {
      const { pipeline } = renderBundle(deployValues('rules', 'rules-model'));
      expect(
        (
          await shared().codepipeline.send(
            new CreatePipelineCommand({ pipeline }),
          )
        ).pipeline?.version,
      ).toBe(1);
      const bad = await shared()
        .codepipeline.send(
          new UpdatePipelineCommand({
            pipeline: {
              ...pipeline,
              stages: [
                pipeline.stages[1],
                pipeline.stages[0],
                ...pipeline.stages.slice(2),
              ],
            },
          }),
        )
        .catch(e => e);
      expect(bad.name).toBe('InvalidStructureException');
      expect(
        (
          await shared().codepipeline.send(
            new UpdatePipelineCommand({ pipeline }),
          )
        ).pipeline?.version,
      ).toBe(2);
    });

    it('names a missing pipeline', async () => {
      const missing = await shared()
        .codepipeline.send(new GetPipelineCommand({ name: 'absent' }))
        .catch(e => e);
      expect(missing).toBeInstanceOf(PipelineNotFoundException);
    });
  });
});
