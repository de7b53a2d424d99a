import {
  BatchGetProjectsCommand,
  CodeBuildClient,
  CreateProjectCommand,
} from '@aws-sdk/client-codebuild';
import {
  CodePipelineClient,
  CreatePipelineCommand,
  GetPipelineCommand,
} from '@aws-sdk/client-codepipeline';
import {
  EventBridgeClient,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  AccountStage,
  accountByName,
  MlPlatformConfig,
  readMlPlatformConfig,
} from '@ml-governance/plugin-ml-registry-common';
import {
  AwsClientFactory,
  entityName,
} from '@ml-governance/plugin-ml-registry-node';
import { awsFailure } from './awsFailure';
import {
  DeployPipelineBundle,
  deployPipelineSource,
  renderDeployPipeline,
  sourceLocation,
} from './createDeployPipelineBundle';
import { examples } from './createDeployPipeline.examples';
import { readMlRoles, roleArn } from './roles';

/**
 * The pipeline's name also names its CodeBuild projects (no . or @) and its
 * rule, <name>-on-approval, which EventBridge limits to 64 characters.
 */
const PIPELINE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,51}$/;
const PIPELINE_NAME_RULE =
  'a letter or digit, then letters, digits, _ and -, at most 52 characters';
// A key ARN, not an alias: cross-account actions only find the key by its ARN or id
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_EncryptionKey.html).
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-zA-Z0-9-]+$/;
const GROUP_ARN =
  /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:(\d{12}):model-package-group\/([a-zA-Z0-9-]{1,63})$/;

/** The central group to deploy, given by account and name or by ARN. */
function centralGroup(
  platform: MlPlatformConfig,
  input: {
    account?: string;
    modelPackageGroupName?: string;
    modelPackageGroupArn?: string;
  },
) {
  if (input.modelPackageGroupArn) {
    const [, accountId, name] =
      input.modelPackageGroupArn.match(GROUP_ARN) ?? [];
    const account = platform.accounts.find(a => a.accountId === accountId);
    if (!account)
      throw new InputError(
        `modelPackageGroupArn: account ${accountId} is not configured under mlRegistry.accounts`,
      );
    return {
      account: accountOfStage(
        platform,
        'modelPackageGroupArn',
        account.name,
        'shared-services',
      ),
      groupName: name,
    };
  }
  if (!input.account || !input.modelPackageGroupName) {
    throw new InputError(
      'Give the central model as modelPackageGroupArn, or as account and modelPackageGroupName',
    );
  }
  return {
    account: accountOfStage(
      platform,
      'account',
      input.account,
      'shared-services',
    ),
    groupName: input.modelPackageGroupName,
  };
}

/** An account named in the input, which must be of the stage its field is for. */
function accountOfStage(
  platform: MlPlatformConfig,
  field: string,
  name: string,
  stage: AccountStage,
) {
  const account = accountByName(platform, name);
  if (account.stage !== stage)
    throw new InputError(
      `${field}: ${name} is a ${account.stage} account, not ${stage}`,
    );
  return account;
}

/** One piece of a deploy pipeline: how to tell it exists, and how to make it. */
interface Piece {
  what: string;
  exists: () => Promise<boolean>;
  make: () => Promise<unknown>;
}

/** What a request returns, or undefined when AWS says what it asked for does not exist. */
async function unlessAbsent<T>(
  request: Promise<T>,
  ...errorNames: string[]
): Promise<T | undefined> {
  try {
    return await request;
  } catch (e: any) {
    if (errorNames.includes(e?.name)) return undefined;
    throw e;
  }
}

/** A request made once, when first needed, for the pieces that share its answer. */
const once = <T>(request: () => Promise<T>) => {
  let answer: Promise<T> | undefined;
  return () => (answer ??= request());
};

interface DeployClients {
  s3: S3Client;
  codebuild: CodeBuildClient;
  codepipeline: CodePipelineClient;
  events: EventBridgeClient;
}

/**
 * The pieces of a deploy pipeline, in the order they must be made: the source
 * and projects before the pipeline that uses them, the rule that starts the
 * pipeline last.
 */
function deployPipelinePieces(
  bundle: DeployPipelineBundle,
  clients: DeployClients,
) {
  const { s3, codebuild, codepipeline, events } = clients;
  const { bucket, key } = sourceLocation(bundle);
  // ListTargetsByRule answers ResourceNotFoundException when the rule itself is missing.
  const ruleTargets = once(() =>
    unlessAbsent(
      events.send(new ListTargetsByRuleCommand({ Rule: bundle.rule.Name })),
      'ResourceNotFoundException',
    ),
  );
  const pipeline: Piece = {
    what: `pipeline ${bundle.pipeline.name}`,
    exists: async () =>
      !!(await unlessAbsent(
        codepipeline.send(
          new GetPipelineCommand({ name: bundle.pipeline.name }),
        ),
        'PipelineNotFoundException',
      )),
    make: () =>
      codepipeline.send(
        new CreatePipelineCommand({
          pipeline: bundle.pipeline,
          tags: bundle.tags,
        }),
      ),
  };
  const all: Piece[] = [
    {
      what: `the build code s3://${bucket}/${key}`,
      // HeadObject's error has no body, so the SDK names it by its status: NotFound.
      exists: async () =>
        !!(await unlessAbsent(
          s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })),
          'NotFound',
        )),
      make: async () =>
        s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: await deployPipelineSource(),
            ContentType: 'application/zip',
          }),
        ),
    },
    ...bundle.projects.map(project => ({
      what: `CodeBuild project ${project.name}`,
      // One project a call: a policy scoped to the pipelines' projects then allows it (IAM checks each project a batch names).
      exists: async () =>
        !!(
          await codebuild.send(
            new BatchGetProjectsCommand({ names: [project.name!] }),
          )
        ).projects?.length,
      make: () => codebuild.send(new CreateProjectCommand(project)),
    })),
    pipeline,
    {
      what: `EventBridge rule ${bundle.rule.Name}`,
      exists: async () => !!(await ruleTargets()),
      make: () => events.send(new PutRuleCommand(bundle.rule)),
    },
    ...(bundle.targets.Targets ?? []).map(target => ({
      what: `its target ${target.Arn}`,
      exists: async () =>
        !!(await ruleTargets())?.Targets?.some(
          t => t.Id === target.Id && t.Arn === target.Arn,
        ),
      make: async () => {
        // PutTargets answers 200 with the targets it could not add.
        const { FailedEntries = [] } = await events.send(
          new PutTargetsCommand({ ...bundle.targets, Targets: [target] }),
        );
        if (FailedEntries.length)
          throw new Error(
            `PutTargets refused target ${target.Id}: ${FailedEntries.map(
              f => `${f.ErrorCode}: ${f.ErrorMessage}`,
            ).join('; ')}`,
          );
      },
    })),
  ];
  return { all, pipeline };
}

/**
 * `codepipeline:deploy-pipeline:create` creates the cross-account deploy
 * pipeline of a central model, the pipeline of SageMaker's "MLOps template for
 * model deployment": an EventBridge rule starts it when a version of the group
 * is approved or rejected; CodeBuild resolves the newest Approved version and
 * writes the endpoint's CloudFormation template; CloudFormation deploys it to
 * the test account through a cross-account role; CodeBuild checks the test
 * endpoint; the governance officer approves; the same deploy to prod. Its shape
 * comes from the `deploy-pipeline/` bundle. A re-run finds each piece (source,
 * build projects, pipeline, rule, target) and leaves it; a half-made set is
 * named and completed.
 *
 * @public
 */
export function createDeployPipelineAction(options: {
  config: Config;
  clients: AwsClientFactory;
}) {
  const platform = readMlPlatformConfig(options.config);
  const roles = readMlRoles(options.config);

  return createTemplateAction({
    id: 'codepipeline:deploy-pipeline:create',
    description:
      'Creates a cross-account CodePipeline, started by the central approval, that deploys a model to test, tests it, waits for governance approval and deploys to prod.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        account: z =>
          z
            .string()
            .min(1)
            .optional()
            .describe(
              'The shared services account holding the central model, by its name under mlRegistry.accounts',
            ),
        modelPackageGroupName: z =>
          z
            .string()
            .regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/)
            .optional()
            .describe('The central model package group it deploys'),
        modelPackageGroupArn: z =>
          z
            .string()
            .regex(GROUP_ARN, 'a model package group ARN')
            .optional()
            .describe(
              "Or the group by its ARN, e.g. the aws.amazon.com/arn annotation of the model's catalog entity",
            ),
        name: z =>
          z
            .string()
            .regex(PIPELINE_NAME, PIPELINE_NAME_RULE)
            .optional()
            .describe(
              'The pipeline name; default <group>-deploy, the name approvals look for',
            ),
        testAccount: z =>
          z.string().min(1).describe('The test account by name'),
        prodAccount: z =>
          z.string().min(1).describe('The prod account by name'),
        instanceType: z =>
          z
            .string()
            .regex(
              /^ml\.[a-z0-9]+\.[a-z0-9]+$/,
              'a SageMaker instance type such as ml.m5.large',
            )
            .optional()
            .describe('The endpoint instance type; default ml.m5.large'),
        instanceCount: z =>
          z
            .number()
            .int()
            .min(1)
            .max(20)
            .optional()
            .describe('Instances behind each endpoint; default 1'),
        kmsKeyArn: z =>
          z
            .string()
            .regex(
              KMS_KEY_ARN,
              'a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias',
            )
            .describe(
              'The customer managed key of the artifact store, which the test and prod accounts may use (iam/ml-deploy-pipeline.yaml, ArtifactKeyArn)',
            ),
        artifactBucket: z =>
          z
            .string()
            .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)
            .optional()
            .describe(
              'The artifact bucket (versioned); default ml-deploy-artifacts-<account id>, as iam/ml-deploy-pipeline.yaml makes it',
            ),
        approvalUrl: z =>
          z
            .string()
            .url()
            .optional()
            .describe(
              'Where the governance officer reviews the version (shown on the approval)',
            ),
      },
      output: {
        pipelineName: z => z.string(),
        pipelineArn: z => z.string(),
        created: z =>
          z.boolean().describe('False when the pipeline already existed'),
        testEndpointName: z => z.string(),
        prodEndpointName: z => z.string(),
        testEndpointEntityRef: z =>
          z
            .string()
            .describe(
              'The model-server entity of the test endpoint, once deployed and synced',
            ),
        prodEndpointEntityRef: z =>
          z
            .string()
            .describe(
              'The model-server entity of the prod endpoint, once deployed and synced',
            ),
      },
    },
    async handler(ctx) {
      const { account, groupName } = centralGroup(platform, ctx.input);
      const test = accountOfStage(
        platform,
        'testAccount',
        ctx.input.testAccount,
        'test',
      );
      const prod = accountOfStage(
        platform,
        'prodAccount',
        ctx.input.prodAccount,
        'prod',
      );
      const name = ctx.input.name ?? `${groupName}-deploy`;
      if (!PIPELINE_NAME.test(name)) {
        throw new InputError(
          `${
            ctx.input.name ? 'name' : 'The default pipeline name'
          } ${name} is not valid: ${PIPELINE_NAME_RULE}; give a name that is`,
        );
      }
      // The roles come from config (roles.ts); the unset bucket, instance type and count take the bundle's defaults.
      const bundle = renderDeployPipeline({
        PipelineName: name,
        ModelPackageGroupName: groupName,
        SharedAccountId: account.accountId,
        TestAccountId: test.accountId,
        ProdAccountId: prod.accountId,
        Region: platform.region,
        KmsKeyArn: ctx.input.kmsKeyArn,
        ArtifactBucket: ctx.input.artifactBucket,
        InstanceType: ctx.input.instanceType,
        InstanceCount:
          ctx.input.instanceCount === undefined
            ? undefined
            : String(ctx.input.instanceCount),
        PipelineRoleArn: roleArn(account.accountId, roles.deployPipeline),
        CodeBuildRoleArn: roleArn(account.accountId, roles.deployCodeBuild),
        EventsRoleArn: roleArn(account.accountId, roles.deployEvents),
        CrossAccountRoleName: roles.deployCrossAccount,
        CloudFormationRoleName: roles.deployCloudFormation,
        ModelExecutionRoleName: roles.deployModelExecution,
      });
      if (ctx.input.approvalUrl) {
        for (const action of bundle.pipeline
          .stages!.flatMap(s => s.actions!)
          .filter(a => a.actionTypeId!.category === 'Approval')) {
          action.configuration = {
            ...action.configuration,
            ExternalEntityLink: ctx.input.approvalUrl,
          };
        }
      }
      const endpoint = (stage: string) => `${groupName}-${stage}`;
      const arn = `arn:aws:codepipeline:${platform.region}:${account.accountId}:${name}`;
      ctx.output('pipelineName', name);
      ctx.output('pipelineArn', arn);
      ctx.output('testEndpointName', endpoint('test'));
      ctx.output('prodEndpointName', endpoint('prod'));
      ctx.output(
        'testEndpointEntityRef',
        `component:default/${entityName(test.name, endpoint('test'))}`,
      );
      ctx.output(
        'prodEndpointEntityRef',
        `component:default/${entityName(prod.name, endpoint('prod'))}`,
      );
      const summary = `build, deploy to ${test.name} (${endpoint(
        'test',
      )}), integration test, governance approval, deploy to ${
        prod.name
      } (${endpoint('prod')})`;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Would create ${name} in ${account.name} (${summary}), started by rule ${bundle.rule.Name} when a version of ${groupName} is approved or rejected`,
        );
        ctx.output('created', false);
        return;
      }
      try {
        const [s3, codebuild, codepipeline, events] = await Promise.all([
          options.clients.create(S3Client, account.accountId),
          options.clients.create(CodeBuildClient, account.accountId),
          options.clients.create(CodePipelineClient, account.accountId),
          options.clients.create(EventBridgeClient, account.accountId),
        ]);
        const { all, pipeline } = deployPipelinePieces(bundle, {
          s3,
          codebuild,
          codepipeline,
          events,
        });
        const found = await Promise.all(all.map(p => p.exists()));
        const missing = all.filter((_p, i) => !found[i]);
        if (missing.length === 0) {
          ctx.logger.info(
            `Deploy pipeline ${name} already exists with its build projects, source and rule; left as it is`,
          );
        } else if (missing.length < all.length) {
          ctx.logger.warn(
            `Deploy pipeline ${name} is half made: ${missing
              .map(p => p.what)
              .join(', ')} missing; creating them`,
          );
        }
        for (const piece of missing) {
          await piece.make();
          ctx.logger.info(`Created ${piece.what}`);
        }
        if (missing.length === all.length)
          ctx.logger.info(`Created ${name}: ${summary}`);
        ctx.output('created', missing.includes(pipeline));
      } catch (e) {
        throw awsFailure(`create deploy pipeline ${name}`, account, e);
      }
    },
  });
}
