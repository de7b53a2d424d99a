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
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  AccountStage,
  accountByName,
  MlPlatformConfig,
  buildArn,
  iamArn,
  MlAccount,
  parseModelPackageGroupArn,
  parseResourceArn,
  readMlPlatformConfig,
} from '@ml-governance/plugin-ml-registry-common';
import {
  AwsClientFactory,
  entityName,
  unlessAwsNotFound,
} from '@ml-governance/plugin-ml-registry-node';
import { awsFailure } from './awsFailure';
import { AwsActionOptions } from './awsActionOptions';
import {
  DeployPipelineBundle,
  deployPipelineSource,
  renderDeployPipeline,
  sourceLocation,
} from './createDeployPipelineBundle';
import { examples } from './createDeployPipeline.examples';
import { MlRoles, readMlRoles } from './roles';
import { Zod } from './zod';

/**
 * The pipeline's name also names its CodeBuild projects (no . or @) and its
 * rule, <name>-on-approval, which EventBridge limits to 64 characters.
 */
const PIPELINE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,51}$/;
const PIPELINE_NAME_RULE =
  'a letter or digit, then letters, digits, _ and -, at most 52 characters';
/** SageMaker's rule for model package group names. */
const GROUP_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** A model package group's ARN whose name SageMaker would accept. */
function isDeployableGroupArn(arn: string): boolean {
  const group = parseModelPackageGroupArn(arn)?.group;
  return !!group && GROUP_NAME.test(group);
}

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
    const group = parseModelPackageGroupArn(input.modelPackageGroupArn);
    if (!group)
      throw new InputError(
        `modelPackageGroupArn: ${input.modelPackageGroupArn} is not a model package group ARN`,
      );
    const { accountId, group: name } = group;
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

/** The build code the CodeBuild projects run, and the projects. */
function buildPieces(
  bundle: DeployPipelineBundle,
  { s3, codebuild }: DeployClients,
): Piece[] {
  const { bucket, key } = sourceLocation(bundle);
  const code: Piece = {
    what: `the build code s3://${bucket}/${key}`,
    exists: async () =>
      !!(await unlessAwsNotFound(
        s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })),
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
  };
  const projects = bundle.projects.map(project => ({
    what: `CodeBuild project ${project.name}`,
    // One project a call: a policy scoped to the pipelines' projects then allows it (IAM checks each project a batch names).
    exists: async () =>
      !!(
        await codebuild.send(
          new BatchGetProjectsCommand({ names: [project.name!] }),
        )
      ).projects?.length,
    make: () => codebuild.send(new CreateProjectCommand(project)),
  }));
  return [code, ...projects];
}

/** The EventBridge rule that starts the pipeline, and its targets. */
function rulePieces(
  bundle: DeployPipelineBundle,
  { events }: DeployClients,
): Piece[] {
  // ListTargetsByRule answers "not found" when the rule itself is missing.
  const ruleTargets = once(() =>
    unlessAwsNotFound(
      events.send(new ListTargetsByRuleCommand({ Rule: bundle.rule.Name })),
    ),
  );
  const rule: Piece = {
    what: `EventBridge rule ${bundle.rule.Name}`,
    exists: async () => !!(await ruleTargets()),
    make: () => events.send(new PutRuleCommand(bundle.rule)),
  };
  const targets = (bundle.targets.Targets ?? []).map(target => ({
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
  }));
  return [rule, ...targets];
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
  const { codepipeline } = clients;
  const name = bundle.pipeline.name;
  const pipeline: Piece = {
    what: `pipeline ${name}`,
    exists: async () =>
      !!(await unlessAwsNotFound(
        codepipeline.send(new GetPipelineCommand({ name })),
      )),
    make: () =>
      codepipeline.send(
        new CreatePipelineCommand({
          pipeline: bundle.pipeline,
          tags: bundle.tags,
        }),
      ),
  };
  const all = [
    ...buildPieces(bundle, clients),
    pipeline,
    ...rulePieces(bundle, clients),
  ];
  return { all, pipeline };
}

/** The clients of the account the pipeline lives in. */
async function deployClients(
  clients: AwsClientFactory,
  accountId: string,
): Promise<DeployClients> {
  const [s3, codebuild, codepipeline, events] = await Promise.all([
    clients.create(S3Client, accountId),
    clients.create(CodeBuildClient, accountId),
    clients.create(CodePipelineClient, accountId),
    clients.create(EventBridgeClient, accountId),
  ]);
  return { s3, codebuild, codepipeline, events };
}

/**
 * Makes the pieces missing, in order, naming a half-made set; whether the
 * pipeline itself was made, and whether every piece was.
 */
async function makeMissingPieces(
  clients: DeployClients,
  bundle: DeployPipelineBundle,
  logger: { info(m: string): void; warn(m: string): void },
) {
  const name = bundle.pipeline.name;
  const { all, pipeline } = deployPipelinePieces(bundle, clients);
  const found = await Promise.all(all.map(p => p.exists()));
  const missing = all.filter((_p, i) => !found[i]);
  if (missing.length === 0) {
    logger.info(
      `Deploy pipeline ${name} already exists with its build projects, source and rule; left as it is`,
    );
  } else if (missing.length < all.length) {
    logger.warn(
      `Deploy pipeline ${name} is half made: ${missing
        .map(p => p.what)
        .join(', ')} missing; creating them`,
    );
  }
  for (const piece of missing) {
    await piece.make();
    logger.info(`Created ${piece.what}`);
  }
  return {
    pipelineMade: missing.includes(pipeline),
    allMade: missing.length === all.length,
  };
}

const inputFields = {
  account: (z: Zod) =>
    z
      .string()
      .min(1)
      .optional()
      .describe(
        'The shared services account holding the central model, by its name under mlRegistry.accounts',
      ),
  modelPackageGroupName: (z: Zod) =>
    z
      .string()
      .regex(GROUP_NAME)
      .optional()
      .describe('The central model package group it deploys'),
  modelPackageGroupArn: (z: Zod) =>
    z
      .string()
      .refine(isDeployableGroupArn, 'a model package group ARN')
      .optional()
      .describe(
        "Or the group by its ARN, e.g. the aws.amazon.com/arn annotation of the model's catalog entity",
      ),
  name: (z: Zod) =>
    z
      .string()
      .regex(PIPELINE_NAME, PIPELINE_NAME_RULE)
      .optional()
      .describe(
        'The pipeline name; default <group>-deploy, the name approvals look for',
      ),
  testAccount: (z: Zod) =>
    z.string().min(1).describe('The test account by name'),
  prodAccount: (z: Zod) =>
    z.string().min(1).describe('The prod account by name'),
  instanceType: (z: Zod) =>
    z
      .string()
      .regex(
        /^ml\.[a-z0-9]+\.[a-z0-9]+$/,
        'a SageMaker instance type such as ml.m5.large',
      )
      .optional()
      .describe('The endpoint instance type; default ml.m5.large'),
  instanceCount: (z: Zod) =>
    z
      .number()
      .int()
      .min(1)
      .max(20)
      .optional()
      .describe('Instances behind each endpoint; default 1'),
  // A key ARN, not an alias: cross-account actions only find the key by its ARN or id
  // (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_EncryptionKey.html).
  kmsKeyArn: (z: Zod) =>
    z
      .string()
      .refine(
        arn => !!parseResourceArn(arn, 'kms', 'key'),
        'a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias',
      )
      .describe(
        'The customer managed key of the artifact store, which the test and prod accounts may use (iam/ml-deploy-pipeline.yaml, ArtifactKeyArn)',
      ),
  artifactBucket: (z: Zod) =>
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)
      .optional()
      .describe(
        'The artifact bucket (versioned); default ml-deploy-artifacts-<account id>, as iam/ml-deploy-pipeline.yaml makes it',
      ),
  approvalUrl: (z: Zod) =>
    z
      .string()
      .url()
      .optional()
      .describe(
        'Where the governance officer reviews the version (shown on the approval)',
      ),
};

const outputFields = {
  pipelineName: (z: Zod) => z.string(),
  pipelineArn: (z: Zod) => z.string(),
  created: (z: Zod) =>
    z.boolean().describe('False when the pipeline already existed'),
  testEndpointName: (z: Zod) => z.string(),
  prodEndpointName: (z: Zod) => z.string(),
  testEndpointEntityRef: (z: Zod) =>
    z
      .string()
      .describe(
        'The model-server entity of the test endpoint, once deployed and synced',
      ),
  prodEndpointEntityRef: (z: Zod) =>
    z
      .string()
      .describe(
        'The model-server entity of the prod endpoint, once deployed and synced',
      ),
};

type DeployPipelineInput = {
  account?: string;
  modelPackageGroupName?: string;
  modelPackageGroupArn?: string;
  name?: string;
  testAccount: string;
  prodAccount: string;
  instanceType?: string;
  instanceCount?: number;
  kmsKeyArn: string;
  artifactBucket?: string;
  approvalUrl?: string;
};

/** The pipeline's name: the one given, else `<group>-deploy`, the name approvals look for. */
function pipelineName(given: string | undefined, groupName: string) {
  const name = given ?? `${groupName}-deploy`;
  if (!PIPELINE_NAME.test(name)) {
    throw new InputError(
      `${
        given ? 'name' : 'The default pipeline name'
      } ${name} is not valid: ${PIPELINE_NAME_RULE}; give a name that is`,
    );
  }
  return name;
}

/** The accounts and names of the deploy pipeline the input asks for, and its rendered bundle. */
function planDeployPipeline(
  platform: MlPlatformConfig,
  roles: MlRoles,
  input: DeployPipelineInput,
) {
  const { account, groupName } = centralGroup(platform, input);
  const test = accountOfStage(
    platform,
    'testAccount',
    input.testAccount,
    'test',
  );
  const prod = accountOfStage(
    platform,
    'prodAccount',
    input.prodAccount,
    'prod',
  );
  const name = pipelineName(input.name, groupName);
  const role = (roleName: string) =>
    iamArn(platform.region, account.accountId, roleName);
  // The unset bucket, instance type and count take the bundle's defaults.
  const bundle = renderDeployPipeline({
    PipelineName: name,
    ModelPackageGroupName: groupName,
    SharedAccountId: account.accountId,
    TestAccountId: test.accountId,
    ProdAccountId: prod.accountId,
    Region: platform.region,
    KmsKeyArn: input.kmsKeyArn,
    ArtifactBucket: input.artifactBucket,
    InstanceType: input.instanceType,
    InstanceCount:
      input.instanceCount === undefined
        ? undefined
        : String(input.instanceCount),
    PipelineRoleArn: role(roles.deployPipeline),
    CodeBuildRoleArn: role(roles.deployCodeBuild),
    EventsRoleArn: role(roles.deployEvents),
    CrossAccountRoleName: roles.deployCrossAccount,
    CloudFormationRoleName: roles.deployCloudFormation,
    ModelExecutionRoleName: roles.deployModelExecution,
  });
  if (input.approvalUrl) linkApprovals(bundle, input.approvalUrl);
  return { account, test, prod, name, groupName, bundle };
}

/** Shows the governance officer where to review the version, on each approval action. */
function linkApprovals(bundle: DeployPipelineBundle, url: string) {
  for (const action of bundle.pipeline
    .stages!.flatMap(s => s.actions!)
    .filter(a => a.actionTypeId!.category === 'Approval')) {
    action.configuration = {
      ...action.configuration,
      ExternalEntityLink: url,
    };
  }
}

/** The endpoints the pipeline deploys, by name and as catalog model-server entities. */
function endpointsOf(plan: {
  groupName: string;
  test: MlAccount;
  prod: MlAccount;
}) {
  const endpoint = (stage: string, account: MlAccount) => {
    const name = `${plan.groupName}-${stage}`;
    const entity = entityName(account.name, name);
    return {
      name,
      ref: stringifyEntityRef({ kind: 'component', name: entity }),
    };
  };
  return {
    test: endpoint('test', plan.test),
    prod: endpoint('prod', plan.prod),
  };
}

/**
 * The input of `codepipeline:deploy-pipeline:create`, as its schema checks it.
 *
 * @public
 */
export type CreateDeployPipelineInput = {
  testAccount: string;
  prodAccount: string;
  kmsKeyArn: string;
  account?: string;
  modelPackageGroupName?: string;
  modelPackageGroupArn?: string;
  name?: string;
  instanceType?: string;
  instanceCount?: number;
  artifactBucket?: string;
  approvalUrl?: string;
};

/**
 * The output of `codepipeline:deploy-pipeline:create`.
 *
 * @public
 */
export type CreateDeployPipelineOutput = {
  pipelineName: string;
  pipelineArn: string;
  created: boolean;
  testEndpointName: string;
  prodEndpointName: string;
  testEndpointEntityRef: string;
  prodEndpointEntityRef: string;
};

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
export function createDeployPipelineAction(
  options: AwsActionOptions,
): TemplateAction<CreateDeployPipelineInput, CreateDeployPipelineOutput, 'v2'> {
  const platform = readMlPlatformConfig(options.config);
  const roles = readMlRoles(options.config);

  return createTemplateAction({
    id: 'codepipeline:deploy-pipeline:create',
    description:
      'Creates a cross-account CodePipeline, started by the central approval, that deploys a model to test, tests it, waits for governance approval and deploys to prod.',
    examples,
    supportsDryRun: true,
    schema: { input: inputFields, output: outputFields },
    async handler(ctx) {
      const plan = planDeployPipeline(platform, roles, ctx.input);
      const { account, name, bundle } = plan;
      const endpoints = endpointsOf(plan);
      ctx.output('pipelineName', name);
      ctx.output(
        'pipelineArn',
        buildArn({
          service: 'codepipeline',
          region: platform.region,
          accountId: account.accountId,
          resource: name,
        }),
      );
      ctx.output('testEndpointName', endpoints.test.name);
      ctx.output('prodEndpointName', endpoints.prod.name);
      ctx.output('testEndpointEntityRef', endpoints.test.ref);
      ctx.output('prodEndpointEntityRef', endpoints.prod.ref);
      const summary = `build, deploy to ${plan.test.name} (${endpoints.test.name}), integration test, governance approval, deploy to ${plan.prod.name} (${endpoints.prod.name})`;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Would create ${name} in ${account.name} (${summary}), started by rule ${bundle.rule.Name} when a version of ${plan.groupName} is approved or rejected`,
        );
        ctx.output('created', false);
        return;
      }
      const made = await deployClients(options.clients, account.accountId)
        .then(clients => makeMissingPieces(clients, bundle, ctx.logger))
        .catch(e => {
          throw awsFailure(`create deploy pipeline ${name}`, account, e);
        });
      if (made.allMade) ctx.logger.info(`Created ${name}: ${summary}`);
      ctx.output('created', made.pipelineMade);
    },
  });
}
