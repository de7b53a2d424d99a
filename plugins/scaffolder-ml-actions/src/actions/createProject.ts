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
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  accountByName,
  MlPlatformConfig,
  readMlPlatformConfig,
} from '@ml-governance/plugin-ml-registry-common';
import {
  AwsClientFactory,
  ensureModelPackageGroup,
  entityName,
  modelEntityName,
} from '@ml-governance/plugin-ml-registry-node';
import { awsFailure } from './awsFailure';
import { examples } from './createProject.examples';
import { readMlRoles, roleArn as roleArnOf } from './roles';
import { groupReaderAccountIds } from './createModelPackageGroup';
import {
  DataSource,
  dataSourceLocation,
  experimentPipelineDefinition,
  SEED_SCRIPTS,
} from './experimentPipeline';
import { waitFor } from './waitFor';

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
        featureGroupArn: `arn:aws:sagemaker:${platform.region}:${stageAccount(
          'shared-services',
          input.account,
        )}:feature-group/${input.featureGroupName}`,
      };
    default:
      return input;
  }
}

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
export function createProjectAction(options: {
  config: Config;
  clients: AwsClientFactory;
  pollMs?: number;
}) {
  const platform = readMlPlatformConfig(options.config);
  const roles = readMlRoles(options.config);

  return createTemplateAction({
    id: 'sagemaker:project:create',
    description:
      'Creates a SageMaker experiment project with its model package group and training pipeline for a data source.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        account: z =>
          z
            .string()
            .min(1)
            .describe('The dev account, by its name under mlRegistry.accounts'),
        name: z =>
          z
            .string()
            .regex(
              NAME,
              'letters, digits and single dashes, at most 32 characters',
            )
            .describe('The project name'),
        description: z =>
          z.string().max(1000).optional().describe('What the project is for'),
        owner: z =>
          z
            .string()
            .regex(
              /^(user|group):[^/]+\/.+$/,
              'an entity ref such as group:default/fraud-ds',
            )
            .optional()
            .describe('The owning team, recorded as the backstage-owner tag'),
        dataSource: z =>
          z
            .discriminatedUnion('type', [
              z.object({
                type: z.literal('s3'),
                uri: z
                  .string()
                  .regex(
                    /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/,
                    'an S3 URI such as s3://bucket/prefix/',
                  )
                  .describe('The S3 prefix of the data'),
              }),
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
                  .regex(
                    GLUE_NAME,
                    'a Glue table name (lower case, digits, underscores)',
                  ),
                workgroup: z
                  .string()
                  .optional()
                  .describe('The Athena workgroup; default primary'),
              }),
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
                  .regex(
                    /^[a-zA-Z0-9_-]{1,36}$/,
                    'the id of the subscribed asset',
                  ),
                database: z
                  .string()
                  .regex(
                    GLUE_NAME,
                    'the Glue database the subscription grants',
                  ),
                table: z
                  .string()
                  .regex(GLUE_NAME, 'the Glue table the subscription grants'),
              }),
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
                  .regex(
                    /^[a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,63}$/,
                    'a feature group name',
                  ),
              }),
            ])
            .describe('Where the training data comes from'),
        modelPackageGroupName: z =>
          z
            .string()
            .regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/)
            .optional()
            .describe(
              'The model package group its pipeline registers in; default the project name',
            ),
        instanceType: z =>
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
        startRun: z =>
          z
            .boolean()
            .optional()
            .describe("Start the pipeline's first run; default no"),
        serviceCatalogProduct: z =>
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
      },
      output: {
        projectId: z => z.string(),
        projectArn: z => z.string(),
        pipelineName: z => z.string(),
        pipelineArn: z => z.string(),
        modelPackageGroupArn: z => z.string(),
        trainingData: z =>
          z.string().describe('The data source as the registry records it'),
        pipelineExecutionArn: z =>
          z.string().optional().describe('The first run, when started'),
        systemEntityRef: z =>
          z
            .string()
            .describe(
              'The catalog System the project becomes after the next sync',
            ),
        modelEntityRef: z =>
          z.string().describe('The catalog ai-model its versions appear on'),
      },
    },
    async handler(ctx) {
      const input = {
        ...ctx.input,
        instanceType: ctx.input.instanceType ?? 'ml.m5.xlarge',
      };
      const account = accountByName(platform, input.account);
      if (account.stage !== 'dev') {
        throw new InputError(
          `account: experiment projects belong in a dev account; ${account.name} is ${account.stage}`,
        );
      }
      const source = toDataSource(platform, input.dataSource);
      const trainingData = dataSourceLocation(source);
      const groupName = input.modelPackageGroupName ?? input.name;
      const pipelineName = `${input.name}-pipeline`;
      const roleArn = roleArnOf(account.accountId, roles.experimentPipeline);
      // SageMaker's default bucket of the account, as the SageMaker Python SDK names it.
      const bucket = `sagemaker-${platform.region}-${account.accountId}`;
      const workUri = `s3://${bucket}/${input.name}`;
      const codeKey = (file: string) => `${input.name}/code/${file}`;
      const arn = (resource: string) =>
        `arn:aws:sagemaker:${platform.region}:${account.accountId}:${resource}`;
      ctx.output(
        'systemEntityRef',
        `system:default/${entityName(account.name, input.name)}`,
      );
      ctx.output(
        'modelEntityRef',
        `resource:default/${modelEntityName(account.name, groupName)}`,
      );
      ctx.output('trainingData', trainingData);
      ctx.output('pipelineName', pipelineName);
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Would create project ${input.name}, group ${groupName} and pipeline ${pipelineName} on ${trainingData} in ${account.name}`,
        );
        ctx.output('projectId', 'p-dry-run');
        ctx.output('projectArn', arn(`project/${input.name}`));
        ctx.output(
          'pipelineArn',
          arn(`pipeline/${pipelineName.toLowerCase()}`),
        );
        ctx.output(
          'modelPackageGroupArn',
          arn(`model-package-group/${groupName}`),
        );
        return;
      }

      const sagemaker = await options.clients.create(
        SageMakerClient,
        account.accountId,
      );
      const step = async <T>(doing: string, run: () => Promise<T>) =>
        run().catch(e => {
          throw awsFailure(doing, account, e);
        });
      const ownerTags = input.owner
        ? [{ Key: 'backstage-owner', Value: input.owner }]
        : [];
      const notFound = (e: any) => {
        if (
          e?.name === 'ResourceNotFound' ||
          /does not exist/i.test(e?.message ?? '')
        )
          return undefined;
        throw e;
      };

      const s3 = await options.clients.create(S3Client, account.accountId);
      await step(`upload the seed code to ${workUri}/code/`, async () => {
        for (const file of [...Object.values(SEED_SCRIPTS), PROJECT_TEMPLATE]) {
          await s3.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: codeKey(file),
              Body: await fs.readFile(path.join(SEED, file)),
              ContentType: file.endsWith('.py')
                ? 'text/x-python'
                : 'application/x-yaml',
            }),
          );
        }
        ctx.logger.info(`Uploaded the seed code to ${workUri}/code/`);
      });

      const project = await step(`create project ${input.name}`, async () => {
        const existing = await sagemaker
          .send(new DescribeProjectCommand({ ProjectName: input.name }))
          .catch(notFound);
        if (existing) {
          ctx.logger.info(
            `Project ${input.name} already exists (${existing.ProjectId}); reusing it`,
          );
          return {
            ProjectId: existing.ProjectId!,
            ProjectArn: existing.ProjectArn!,
          };
        }
        const product = input.serviceCatalogProduct;
        const created = await sagemaker.send(
          new CreateProjectCommand({
            ProjectName: input.name,
            ProjectDescription: input.description,
            Tags: ownerTags,
            ...(product
              ? {
                  ServiceCatalogProvisioningDetails: {
                    ProductId: product.productId,
                    ProvisioningArtifactId: product.provisioningArtifactId,
                    ProvisioningParameters: Object.entries(
                      product.parameters ?? {},
                    ).map(([Key, Value]) => ({ Key, Value })),
                  },
                }
              : {
                  TemplateProviders: [
                    {
                      CfnTemplateProvider: {
                        TemplateName: 'experiment',
                        TemplateURL: `https://${bucket}.s3.${
                          platform.region
                        }.amazonaws.com/${codeKey(PROJECT_TEMPLATE)}`,
                        Parameters: [
                          { Key: 'PipelineName', Value: pipelineName },
                          { Key: 'ModelPackageGroupName', Value: groupName },
                          { Key: 'SeedCodeUri', Value: `${workUri}/code` },
                        ],
                      },
                    },
                  ],
                }),
          }),
        );
        ctx.logger.info(
          `Creating project ${input.name} (${created.ProjectId}) from ${
            product
              ? `Service Catalog product ${product.productId}`
              : 'the experiment template'
          }`,
        );
        return {
          ProjectId: created.ProjectId!,
          ProjectArn: created.ProjectArn!,
        };
      });
      await step(`create project ${input.name}`, () =>
        waitFor({
          what: `Project ${input.name}`,
          log: m => ctx.logger.info(m),
          pollMs: options.pollMs ?? 5000,
          timeoutSeconds: 900,
          check: async () => {
            const found = await sagemaker.send(
              new DescribeProjectCommand({ ProjectName: input.name }),
            );
            if (found.ProjectStatus === 'CreateCompleted')
              return { done: found };
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
        }),
      );
      const projectTags = [
        ...ownerTags,
        { Key: 'sagemaker:project-name', Value: input.name },
        { Key: 'sagemaker:project-id', Value: project.ProjectId },
      ];

      const group = await step(`create model package group ${groupName}`, () =>
        ensureModelPackageGroup(sagemaker, {
          name: groupName,
          description: input.description,
          accountId: account.accountId,
          region: platform.region,
          readerAccountIds: groupReaderAccountIds(platform, account),
          tags: projectTags,
        }),
      );
      ctx.logger.info(
        group.created
          ? `Created model package group ${groupName}`
          : `Model package group ${groupName} already exists; reusing it`,
      );

      const pipelineArn = await step(
        `create pipeline ${pipelineName}`,
        async () => {
          const existing = await sagemaker
            .send(new DescribePipelineCommand({ PipelineName: pipelineName }))
            .catch(notFound);
          if (existing) {
            ctx.logger.info(
              `Pipeline ${pipelineName} already exists; reusing it`,
            );
            return existing.PipelineArn!;
          }
          const created = await sagemaker.send(
            new CreatePipelineCommand({
              PipelineName: pipelineName,
              PipelineDescription: `Experiment pipeline of ${input.name} on ${trainingData}`,
              RoleArn: roleArn,
              PipelineDefinition: experimentPipelineDefinition({
                source,
                modelPackageGroupName: groupName,
                roleArn,
                instanceType: input.instanceType,
                workUri,
                codeUri: `${workUri}/code`,
              }),
              Tags: projectTags,
            }),
          );
          ctx.logger.info(
            `Created pipeline ${pipelineName} reading ${trainingData}`,
          );
          return created.PipelineArn!;
        },
      );

      if (input.startRun) {
        // One token per pipeline: a re-run of the task finds the first run instead of starting another.
        const token = createHash('sha256')
          .update(`${pipelineArn}#first-run`)
          .digest('hex')
          .slice(0, 32);
        const run = await step(`start the first run of ${pipelineName}`, () =>
          sagemaker.send(
            new StartPipelineExecutionCommand({
              PipelineName: pipelineName,
              ClientRequestToken: token,
              PipelineExecutionDisplayName: 'first-run',
            }),
          ),
        );
        ctx.logger.info(`Started ${run.PipelineExecutionArn}`);
        ctx.output('pipelineExecutionArn', run.PipelineExecutionArn!);
      }
      ctx.output('projectId', project.ProjectId);
      ctx.output('projectArn', project.ProjectArn);
      ctx.output('pipelineArn', pipelineArn);
      ctx.output('modelPackageGroupArn', group.arn);
    },
  });
}
