import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  accountByName,
  MlAccount,
  MlPlatformConfig,
  readMlPlatformConfig,
  sagemakerArn,
} from '@ml-governance/plugin-ml-registry-common';
import {
  ensureModelPackageGroup,
  ModelPackageGroupSpec,
  modelEntityName,
} from '@ml-governance/plugin-ml-registry-node';
import { accountField } from './accountField';
import { awsFailure } from './awsFailure';
import { AwsActionOptions } from './awsActionOptions';
import { examples } from './createModelPackageGroup.examples';
import { Zod } from './zod';
import { ownerField } from './ownerField';

/** SageMaker's rule for group names. */
const GROUP_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/**
 * The accounts that read a group's packages: shared services reads dev groups
 * to promote them; test and prod read central groups to deploy them.
 */
export function groupReaderAccountIds(
  platform: MlPlatformConfig,
  account: MlAccount,
): string[] {
  return platform.accounts
    .filter(
      a =>
        a.accountId !== account.accountId &&
        ['shared-services', 'test', 'prod'].includes(a.stage),
    )
    .map(a => a.accountId);
}

const inputFields = {
  account: accountField('The account to create it in'),
  name: (z: Zod) =>
    z
      .string()
      .regex(
        GROUP_NAME,
        'letters, digits and single dashes, at most 63 characters',
      )
      .describe('The group name'),
  description: (z: Zod) =>
    z
      .string()
      .max(1000)
      .optional()
      .describe('What the models of this group do'),
  owner: ownerField("the group's backstage-owner tag"),
};

const outputFields = {
  arn: (z: Zod) => z.string().describe('The group ARN'),
  created: (z: Zod) =>
    z.boolean().describe('False when the group already existed'),
  entityRef: (z: Zod) =>
    z.string().describe('The ai-model entity it becomes after the next sync'),
};

/** The group the input asks for, readable by the accounts that read a team's groups. */
function groupSpec(
  platform: MlPlatformConfig,
  account: MlAccount,
  input: { name: string; description?: string; owner?: string },
): ModelPackageGroupSpec {
  return {
    name: input.name,
    description: input.description,
    accountId: account.accountId,
    region: platform.region,
    readerAccountIds: groupReaderAccountIds(platform, account),
    ...(input.owner
      ? { tags: [{ Key: 'backstage-owner', Value: input.owner }] }
      : {}),
  };
}

/**
 * The input of `sagemaker:model-package-group:create`, as its schema checks it.
 *
 * @public
 */
export type CreateModelPackageGroupInput = {
  account: string;
  name: string;
  description?: string;
  owner?: string;
};

/**
 * The output of `sagemaker:model-package-group:create`.
 *
 * @public
 */
export type CreateModelPackageGroupOutput = {
  arn: string;
  created: boolean;
  entityRef: string;
};

/**
 * `sagemaker:model-package-group:create` creates a model package group in a
 * configured account, with a resource policy letting the shared services and
 * deployment accounts read its packages. A re-run finds the group and changes
 * nothing; a dry run reports what it would create.
 *
 * @public
 */
export function createModelPackageGroupAction(
  options: AwsActionOptions,
): TemplateAction<
  CreateModelPackageGroupInput,
  CreateModelPackageGroupOutput,
  'v2'
> {
  const platform = readMlPlatformConfig(options.config);

  return createTemplateAction({
    id: 'sagemaker:model-package-group:create',
    description:
      'Creates a SageMaker model package group, shared with the shared services and deployment accounts.',
    examples,
    supportsDryRun: true,
    schema: { input: inputFields, output: outputFields },
    async handler(ctx) {
      const { name } = ctx.input;
      const account = accountByName(platform, ctx.input.account);
      const spec = groupSpec(platform, account, ctx.input);
      ctx.output(
        'entityRef',
        stringifyEntityRef({
          kind: 'resource',
          name: modelEntityName(account.name, name),
        }),
      );
      if (ctx.isDryRun) {
        const arn = sagemakerArn(
          platform.region,
          account.accountId,
          `model-package-group/${name}`,
        );
        ctx.logger.info(
          `Would create ${arn}, readable by ${
            spec.readerAccountIds.join(', ') || 'no other account'
          }`,
        );
        ctx.output('arn', arn);
        ctx.output('created', false);
        return;
      }
      const result = await options.clients
        .create(SageMakerClient, account.accountId)
        .then(sagemaker => ensureModelPackageGroup(sagemaker, spec))
        .catch(e => {
          throw awsFailure(`create model package group ${name}`, account, e);
        });
      ctx.logger.info(
        result.created
          ? `Created ${result.arn}`
          : `${result.arn} already exists; left as it is`,
      );
      ctx.output('arn', result.arn);
      ctx.output('created', result.created);
    },
  });
}
