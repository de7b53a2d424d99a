import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreatePipelineCommand,
  CreateProjectCommand,
  DescribePipelineCommand,
  DescribeProjectCommand,
  SageMakerClient,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  accountByName,
  iamArn,
  MlAccount,
  MlPlatformConfig,
  readMlPlatformConfig,
  sagemakerArn,
} from '@ml-governance/plugin-ml-registry-common';
import {
  AwsClientFactory,
  ensureModelPackageGroup,
  entityName,
  modelEntityName,
  unlessAwsNotFound,
} from '@ml-governance/plugin-ml-registry-node';
import { accountField } from './accountField';
import { awsFailure } from './awsFailure';
import { WaitingAwsActionOptions } from './awsActionOptions';
import { examples } from './createProject.examples';
import { readMlRoles } from './roles';
import { groupReaderAccountIds } from './createModelPackageGroup';
import {
  DataSource,
  dataSourceLocation,
  experimentPipelineDefinition,
  SEED_SCRIPTS,
} from './experimentPipeline';
import { waitFor } from './waitFor';
import { Zod } from './zod';
import { ownerField } from './ownerField';

/** The experiment project's template and its pipeline steps' scripts, kept in the package as real files. */
const SEED = resolvePackagePath(
  '@ml-governance/plugin-scaffolder-backend-module-ml-actions',
  'seed/experiment',
);
const PROJECT_TEMPLATE = 'project.yaml';

const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$/;
const GLUE_NAME = /^[a-z0-9_]{1,255}$/;

/** The data source as the template gives it, with accounts by name, made concrete. */
function toDataSource(platform: MlPlatformConfig, input: any): DataSource {
  const stageAccount = (stage: string, name?: string) => {
    if (name) return accountByName(platform, name).accountId;
    const found = platform.accounts.find(a => a.stage === stage);
    if (!found)
      throw new InputError(
        `dataSource: no ${stage} account is configured under mlRegistry.accounts; name the account`,
      );
    return found.accountId;
  };
  switch (input.type) {
    case 'athena':
      // The data lake lives in the data governance account unless named otherwise.
      return {
        type: 'athena',
        accountId: stageAccount('governance', input.account),
        database: input.database,
        table: input.table,
        workgroup: input.workgroup,
      };
    case 'feature-store':
      return {
        type: 'feature-store',
        featureGroupArn: sagemakerArn(
          platform.region,
          stageAccount('shared-services', input.account),
          `feature-group/${input.featureGroupName}`,
        ),
      };
    default:
      return input;
  }
}

/** Files under an S3 prefix. */
const s3Source = (z: Zod) =>
  z.object({
    type: z.literal('s3'),
    uri: z
      .string()
      .regex(
        /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/,
        'an S3 URI such as s3://bucket/prefix/',
      )
      .describe('The S3 prefix of the data'),
  });

/** A table of an Athena data lake. */
const athenaSource = (z: Zod) =>
  z.object({
    type: z.literal('athena'),
    account: z
      .string()
      .optional()
      .describe(
        'The data lake account by name; default the data governance account',
      ),
    database: z
      .string()
      .regex(
        GLUE_NAME,
        'a Glue database name (lower case, digits, underscores)',
      ),
    table: z
      .string()
      .regex(GLUE_NAME, 'a Glue table name (lower case, digits, underscores)'),
    workgroup: z
      .string()
      .optional()
      .describe('The Athena workgroup; default primary'),
  });

/** A table a DataZone subscription grants the project. */
const dataZoneSource = (z: Zod) =>
  z.object({
    type: z.literal('datazone'),
    domainId: z
      .string()
      .regex(
        /^dzd[-_][a-zA-Z0-9_-]{1,36}$/,
        'a DataZone domain id such as dzd_abc123',
      ),
    assetId: z
      .string()
      .regex(/^[a-zA-Z0-9_-]{1,36}$/, 'the id of the subscribed asset'),
    database: z
      .string()
      .regex(GLUE_NAME, 'the Glue database the subscription grants'),
    table: z
      .string()
      .regex(GLUE_NAME, 'the Glue table the subscription grants'),
  });

/** A feature group of the central feature store. */
const featureStoreSource = (z: Zod) =>
  z.object({
    type: z.literal('feature-store'),
    account: z
      .string()
      .optional()
      .describe(
        'The feature store account by name; default the shared services account',
      ),
    featureGroupName: z
      .string()
      .regex(/^[a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,63}$/, 'a feature group name'),
  });

const inputFields = {
  account: accountField('The dev account'),
  name: (z: Zod) =>
    z
      .string()
      .regex(NAME, 'letters, digits and single dashes, at most 32 characters')
      .describe('The project name'),
  description: (z: Zod) =>
    z.string().max(1000).optional().describe('What the project is for'),
  owner: ownerField('the backstage-owner tag'),
  dataSource: (z: Zod) =>
    z
      .discriminatedUnion('type', [
        s3Source(z),
        athenaSource(z),
        dataZoneSource(z),
        featureStoreSource(z),
      ])
      .describe('Where the training data comes from'),
  modelPackageGroupName: (z: Zod) =>
    z
      .string()
      .regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/)
      .optional()
      .describe(
        'The model package group its pipeline registers in; default the project name',
      ),
  instanceType: (z: Zod) =>
    z
      .string()
      .regex(
        /^ml\.[a-z0-9]+\.[a-z0-9]+$/,
        'a SageMaker instance type such as ml.m5.xlarge',
      )
      .optional()
      .describe(
        'The training and processing instance type; default ml.m5.xlarge',
      ),
  startRun: (z: Zod) =>
    z
      .boolean()
      .optional()
      .describe("Start the pipeline's first run; default no"),
  serviceCatalogProduct: (z: Zod) =>
    z
      .object({
        productId: z
          .string()
          .regex(
            /^prod-[a-zA-Z0-9]{1,96}$/,
            'a Service Catalog product id such as prod-abc123',
          ),
        provisioningArtifactId: z
          .string()
          .regex(
            /^pa-[a-zA-Z0-9]{1,96}$/,
            'a provisioning artifact id such as pa-abc123',
          )
          .optional()
          .describe('The product version; default its newest'),
        parameters: z
          .record(z.string())
          .optional()
          .describe(
            'Its provisioning parameters; SageMaker adds SageMakerProjectName and SageMakerProjectId',
          ),
      })
      .optional()
      .describe(
        "Create the project from this Service Catalog product the platform team shared with the account, instead of the suite's own template",
      ),
};

const outputFields = {
  projectId: (z: Zod) => z.string(),
  projectArn: (z: Zod) => z.string(),
  pipelineName: (z: Zod) => z.string(),
  pipelineArn: (z: Zod) => z.string(),
  modelPackageGroupArn: (z: Zod) => z.string(),
  trainingData: (z: Zod) =>
    z.string().describe('The data source as the registry records it'),
  pipelineExecutionArn: (z: Zod) =>
    z.string().optional().describe('The first run, when started'),
  systemEntityRef: (z: Zod) =>
    z
      .string()
      .describe('The catalog System the project becomes after the next sync'),
  modelEntityRef: (z: Zod) =>
    z.string().describe('The catalog ai-model its versions appear on'),
};

/** What the project's parts are named and where they live, from the template's input. */
interface ProjectPlan {
  name: string;
  description?: string;
  source: DataSource;
  trainingData: string;
  groupName: string;
  pipelineName: string;
  pipelineRoleArn: string;
  instanceType: string;
  /** SageMaker's default bucket of the account, as the SageMaker Python SDK names it. */
  bucket: string;
  workUri: string;
  ownerTags: { Key: string; Value: string }[];
  startRun: boolean;
  serviceCatalogProduct?: {
    productId: string;
    provisioningArtifactId?: string;
    parameters?: Record<string, string>;
  };
}

const codeKey = (plan: ProjectPlan, file: string) =>
  `${plan.name}/code/${file}`;

/** The pipeline's scripts and the project's template, where the pipeline and the template read them. */
async function uploadSeedCode(s3: S3Client, plan: ProjectPlan) {
  for (const file of [...Object.values(SEED_SCRIPTS), PROJECT_TEMPLATE]) {
    await s3.send(
      new PutObjectCommand({
        Bucket: plan.bucket,
        Key: codeKey(plan, file),
        Body: await fs.readFile(path.join(SEED, file)),
        ContentType: file.endsWith('.py')
          ? 'text/x-python'
          : 'application/x-yaml',
      }),
    );
  }
}

/** Where the project comes from: the platform team's Service Catalog product, or the suite's own template. */
function projectSource(plan: ProjectPlan, region: string) {
  const product = plan.serviceCatalogProduct;
  if (product) {
    return {
      ServiceCatalogProvisioningDetails: {
        ProductId: product.productId,
        ProvisioningArtifactId: product.provisioningArtifactId,
        ProvisioningParameters: Object.entries(product.parameters ?? {}).map(
          ([Key, Value]) => ({ Key, Value }),
        ),
      },
    };
  }
  const templateKey = codeKey(plan, PROJECT_TEMPLATE);
  return {
    TemplateProviders: [
      {
        CfnTemplateProvider: {
          TemplateName: 'experiment',
          TemplateURL: `https://${plan.bucket}.s3.${region}.amazonaws.com/${templateKey}`,
          Parameters: [
            { Key: 'PipelineName', Value: plan.pipelineName },
            { Key: 'ModelPackageGroupName', Value: plan.groupName },
            { Key: 'SeedCodeUri', Value: `${plan.workUri}/code` },
          ],
        },
      },
    ],
  };
}

/** The project's id and ARN, created unless a project of its name is there. */
async function findOrCreateProject(
  sagemaker: SageMakerClient,
  plan: ProjectPlan,
  region: string,
  log: (message: string) => void,
) {
  const existing = await unlessAwsNotFound(
    sagemaker.send(new DescribeProjectCommand({ ProjectName: plan.name })),
  );
  if (existing) {
    log(
      `Project ${plan.name} already exists (${existing.ProjectId}); reusing it`,
    );
    return { ProjectId: existing.ProjectId!, ProjectArn: existing.ProjectArn! };
  }
  const created = await sagemaker.send(
    new CreateProjectCommand({
      ProjectName: plan.name,
      ProjectDescription: plan.description,
      Tags: plan.ownerTags,
      ...projectSource(plan, region),
    }),
  );
  const product = plan.serviceCatalogProduct;
  log(
    `Creating project ${plan.name} (${created.ProjectId}) from ${
      product
        ? `Service Catalog product ${product.productId}`
        : 'the experiment template'
    }`,
  );
  return { ProjectId: created.ProjectId!, ProjectArn: created.ProjectArn! };
}

/** Polls the project until its template has made it; a failed template ends the wait with its reason. */
function projectCreated(
  sagemaker: SageMakerClient,
  name: string,
  wait: { log: (message: string) => void; pollMs: number },
) {
  return waitFor({
    what: `Project ${name}`,
    ...wait,
    timeoutSeconds: 900,
    check: async () => {
      const found = await sagemaker.send(
        new DescribeProjectCommand({ ProjectName: name }),
      );
      if (found.ProjectStatus === 'CreateCompleted') return { done: found };
      if (found.ProjectStatus === 'CreateFailed') {
        const reason =
          found.TemplateProviderDetails?.[0]?.CfnTemplateProviderDetail
            ?.StackDetail?.StatusMessage ??
          found.ServiceCatalogProvisionedProductDetails
            ?.ProvisionedProductStatusMessage;
        throw new Error(`the project's template failed: ${reason}`);
      }
      return { state: found.ProjectStatus ?? 'unknown' };
    },
  });
}

/** The experiment pipeline's ARN, created unless a pipeline of its name is there. */
async function findOrCreatePipeline(
  sagemaker: SageMakerClient,
  plan: ProjectPlan,
  tags: { Key: string; Value: string }[],
  log: (message: string) => void,
): Promise<string> {
  const existing = await unlessAwsNotFound(
    sagemaker.send(
      new DescribePipelineCommand({ PipelineName: plan.pipelineName }),
    ),
  );
  if (existing) {
    log(`Pipeline ${plan.pipelineName} already exists; reusing it`);
    return existing.PipelineArn!;
  }
  const created = await sagemaker.send(
    new CreatePipelineCommand({
      PipelineName: plan.pipelineName,
      PipelineDescription: `Experiment pipeline of ${plan.name} on ${plan.trainingData}`,
      RoleArn: plan.pipelineRoleArn,
      PipelineDefinition: experimentPipelineDefinition({
        source: plan.source,
        modelPackageGroupName: plan.groupName,
        roleArn: plan.pipelineRoleArn,
        instanceType: plan.instanceType,
        workUri: plan.workUri,
        codeUri: `${plan.workUri}/code`,
      }),
      Tags: tags,
    }),
  );
  log(`Created pipeline ${plan.pipelineName} reading ${plan.trainingData}`);
  return created.PipelineArn!;
}

/** Starts the pipeline's first run; one token per pipeline, so a re-run of the task finds it instead of starting another. */
async function startFirstRun(
  sagemaker: SageMakerClient,
  plan: ProjectPlan,
  pipelineArn: string,
): Promise<string> {
  const token = createHash('sha256')
    .update(`${pipelineArn}#first-run`)
    .digest('hex')
    .slice(0, 32);
  const run = await sagemaker.send(
    new StartPipelineExecutionCommand({
      PipelineName: plan.pipelineName,
      ClientRequestToken: token,
      PipelineExecutionDisplayName: 'first-run',
    }),
  );
  return run.PipelineExecutionArn!;
}

/** The plan of a project in a dev account, from the template's input. */
function planProject(
  platform: MlPlatformConfig,
  account: MlAccount,
  pipelineRole: string,
  input: {
    name: string;
    description?: string;
    owner?: string;
    dataSource: unknown;
    modelPackageGroupName?: string;
    instanceType?: string;
    startRun?: boolean;
    serviceCatalogProduct?: ProjectPlan['serviceCatalogProduct'];
  },
): ProjectPlan {
  if (account.stage !== 'dev') {
    throw new InputError(
      `account: experiment projects belong in a dev account; ${account.name} is ${account.stage}`,
    );
  }
  const source = toDataSource(platform, input.dataSource);
  const bucket = `sagemaker-${platform.region}-${account.accountId}`;
  return {
    name: input.name,
    description: input.description,
    source,
    trainingData: dataSourceLocation(source),
    groupName: input.modelPackageGroupName ?? input.name,
    pipelineName: `${input.name}-pipeline`,
    pipelineRoleArn: iamArn(platform.region, account.accountId, pipelineRole),
    instanceType: input.instanceType ?? 'ml.m5.xlarge',
    bucket,
    workUri: `s3://${bucket}/${input.name}`,
    ownerTags: input.owner
      ? [{ Key: 'backstage-owner', Value: input.owner }]
      : [],
    startRun: input.startRun ?? false,
    serviceCatalogProduct: input.serviceCatalogProduct,
  };
}

/** The catalog entities the project and its group become after the next sync. */
function projectEntityRefs(account: MlAccount, plan: ProjectPlan) {
  return {
    system: stringifyEntityRef({
      kind: 'system',
      name: entityName(account.name, plan.name),
    }),
    model: stringifyEntityRef({
      kind: 'resource',
      name: modelEntityName(account.name, plan.groupName),
    }),
  };
}

/** The ARNs the project's parts will have, as a dry run reports them. */
function projectArns(region: string, account: MlAccount, plan: ProjectPlan) {
  const arn = (resource: string) =>
    sagemakerArn(region, account.accountId, resource);
  return {
    project: arn(`project/${plan.name}`),
    // SageMaker lower-cases a pipeline's name in its ARN.
    pipeline: arn(`pipeline/${plan.pipelineName.toLowerCase()}`),
    group: arn(`model-package-group/${plan.groupName}`),
  };
}

/**
 * Makes (or finds) each part of the project in turn: the seed code, the
 * project once its template has run, the model package group and the
 * pipeline, tagged with the project; a failure names the part.
 */
async function createProjectParts(
  deps: {
    clients: AwsClientFactory;
    platform: MlPlatformConfig;
    pollMs: number;
  },
  account: MlAccount,
  plan: ProjectPlan,
  log: (message: string) => void,
) {
  const { clients, platform } = deps;
  const step = async <T>(doing: string, run: () => Promise<T>) =>
    run().catch(e => {
      throw awsFailure(doing, account, e);
    });
  const sagemaker = await clients.create(SageMakerClient, account.accountId);
  const s3 = await clients.create(S3Client, account.accountId);
  const seedUri = `${plan.workUri}/code/`;
  await step(`upload the seed code to ${seedUri}`, () =>
    uploadSeedCode(s3, plan),
  );
  log(`Uploaded the seed code to ${seedUri}`);
  const project = await step(`create project ${plan.name}`, () =>
    findOrCreateProject(sagemaker, plan, platform.region, log).then(found =>
      projectCreated(sagemaker, plan.name, { log, pollMs: deps.pollMs }).then(
        () => found,
      ),
    ),
  );
  const tags = [
    ...plan.ownerTags,
    { Key: 'sagemaker:project-name', Value: plan.name },
    { Key: 'sagemaker:project-id', Value: project.ProjectId },
  ];
  const group = await step(`create model package group ${plan.groupName}`, () =>
    ensureModelPackageGroup(sagemaker, {
      name: plan.groupName,
      description: plan.description,
      accountId: account.accountId,
      region: platform.region,
      readerAccountIds: groupReaderAccountIds(platform, account),
      tags,
    }),
  );
  log(
    group.created
      ? `Created model package group ${plan.groupName}`
      : `Model package group ${plan.groupName} already exists; reusing it`,
  );
  const pipelineArn = await step(`create pipeline ${plan.pipelineName}`, () =>
    findOrCreatePipeline(sagemaker, plan, tags, log),
  );
  const runArn = plan.startRun
    ? await step(`start the first run of ${plan.pipelineName}`, () =>
        startFirstRun(sagemaker, plan, pipelineArn),
      )
    : undefined;
  return { project, group, pipelineArn, runArn };
}

/**
 * The input of `sagemaker:project:create`, as its schema checks it.
 *
 * @public
 */
export type CreateProjectInput = {
  account: string;
  name: string;
  dataSource:
    | { type: 's3'; uri: string }
    | {
        type: 'athena';
        database: string;
        table: string;
        account?: string;
        workgroup?: string;
      }
    | {
        type: 'datazone';
        domainId: string;
        database: string;
        table: string;
        assetId: string;
      }
    | { type: 'feature-store'; featureGroupName: string; account?: string };
  description?: string;
  owner?: string;
  modelPackageGroupName?: string;
  instanceType?: string;
  startRun?: boolean;
  serviceCatalogProduct?: {
    productId: string;
    parameters?: Record<string, string>;
    provisioningArtifactId?: string;
  };
};

/**
 * The output of `sagemaker:project:create`.
 *
 * @public
 */
export type CreateProjectOutput = {
  projectId: string;
  projectArn: string;
  pipelineName: string;
  pipelineArn: string;
  modelPackageGroupArn: string;
  trainingData: string;
  systemEntityRef: string;
  modelEntityRef: string;
  pipelineExecutionArn?: string;
};

/**
 * `sagemaker:project:create` creates an experiment project in a team's dev
 * account, replacing the SageMaker Projects portfolio's products: the
 * SageMaker project, its model package group (shared with the shared
 * services and deployment accounts) and a SageMaker pipeline (preprocess,
 * train, evaluate, register) that reads the chosen data source: S3, an Athena
 * data lake, a DataZone subscription or the central feature store. It starts
 * the first run when asked. Each part is found and reused on a re-run; the
 * first run is started at most once.
 *
 * @public
 */
export function createProjectAction(
  options: WaitingAwsActionOptions,
): TemplateAction<CreateProjectInput, CreateProjectOutput, 'v2'> {
  const platform = readMlPlatformConfig(options.config);
  const roles = readMlRoles(options.config);
  const deps = { ...options, platform, pollMs: options.pollMs ?? 5000 };

  return createTemplateAction({
    id: 'sagemaker:project:create',
    description:
      'Creates a SageMaker experiment project with its model package group and training pipeline for a data source.',
    examples,
    supportsDryRun: true,
    schema: { input: inputFields, output: outputFields },
    async handler(ctx) {
      const account = accountByName(platform, ctx.input.account);
      const plan = planProject(
        platform,
        account,
        roles.experimentPipeline,
        ctx.input,
      );
      const refs = projectEntityRefs(account, plan);
      ctx.output('systemEntityRef', refs.system);
      ctx.output('modelEntityRef', refs.model);
      ctx.output('trainingData', plan.trainingData);
      ctx.output('pipelineName', plan.pipelineName);
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Would create project ${plan.name}, group ${plan.groupName} and pipeline ${plan.pipelineName} on ${plan.trainingData} in ${account.name}`,
        );
        const arns = projectArns(platform.region, account, plan);
        ctx.output('projectId', 'p-dry-run');
        ctx.output('projectArn', arns.project);
        ctx.output('pipelineArn', arns.pipeline);
        ctx.output('modelPackageGroupArn', arns.group);
        return;
      }
      const log = (message: string) => ctx.logger.info(message);
      const made = await createProjectParts(deps, account, plan, log);
      if (made.runArn) {
        log(`Started ${made.runArn}`);
        ctx.output('pipelineExecutionArn', made.runArn);
      }
      ctx.output('projectId', made.project.ProjectId);
      ctx.output('projectArn', made.project.ProjectArn);
      ctx.output('pipelineArn', made.pipelineArn);
      ctx.output('modelPackageGroupArn', made.group.arn);
    },
  });
}
