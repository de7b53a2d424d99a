import {
  CreateUserProfileCommand,
  DescribeUserProfileCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  accountByName,
  readMlPlatformConfig,
  sagemakerArn,
} from '@ml-governance/plugin-ml-registry-common';
import { unlessAwsNotFound } from '@ml-governance/plugin-ml-registry-node';
import { accountField } from './accountField';
import { awsFailure } from './awsFailure';
import { AwsActionOptions } from './awsActionOptions';
import { examples } from './createUserProfile.examples';
import { Zod } from './zod';

const inputFields = {
  account: accountField('The account of the domain'),
  domainId: (z: Zod) =>
    z
      .string()
      .regex(/^d-[a-z0-9]{1,63}$/, 'a domain id such as d-abc123')
      .describe('The Studio domain'),
  userProfileName: (z: Zod) =>
    z
      .string()
      .regex(
        /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/,
        'letters, digits and single dashes, at most 63 characters',
      )
      .describe("The profile name, usually the user's name"),
  tags: (z: Zod) =>
    z
      .record(z.string(), z.string())
      .optional()
      .describe('Tags for the profile'),
};

const outputFields = {
  arn: (z: Zod) => z.string(),
  created: (z: Zod) =>
    z.boolean().describe('False when the profile already existed'),
};

interface UserProfileInput {
  domainId: string;
  userProfileName: string;
  tags?: Record<string, string>;
}

/** The profile's ARN, and whether it was created rather than found. */
async function ensureUserProfile(
  sagemaker: SageMakerClient,
  input: UserProfileInput,
): Promise<{ arn: string; created: boolean }> {
  const existing = await unlessAwsNotFound(
    sagemaker.send(
      new DescribeUserProfileCommand({
        DomainId: input.domainId,
        UserProfileName: input.userProfileName,
      }),
    ),
  );
  if (existing) return { arn: existing.UserProfileArn!, created: false };
  const created = await sagemaker.send(
    new CreateUserProfileCommand({
      DomainId: input.domainId,
      UserProfileName: input.userProfileName,
      Tags: Object.entries(input.tags ?? {}).map(([Key, Value]) => ({
        Key,
        Value,
      })),
    }),
  );
  return { arn: created.UserProfileArn!, created: true };
}

/**
 * The input of `sagemaker:user-profile:create`, as its schema checks it.
 *
 * @public
 */
export type CreateUserProfileInput = {
  account: string;
  domainId: string;
  userProfileName: string;
  tags?: Record<string, string>;
};

/**
 * The output of `sagemaker:user-profile:create`.
 *
 * @public
 */
export type CreateUserProfileOutput = {
  arn: string;
  created: boolean;
};

/**
 * `sagemaker:user-profile:create` adds a user to a Studio domain. A re-run
 * finds the profile and leaves it as it is.
 *
 * @public
 */
export function createUserProfileAction(
  options: AwsActionOptions,
): TemplateAction<CreateUserProfileInput, CreateUserProfileOutput, 'v2'> {
  const platform = readMlPlatformConfig(options.config);

  return createTemplateAction({
    id: 'sagemaker:user-profile:create',
    description: 'Creates a SageMaker Studio user profile in a domain.',
    examples,
    supportsDryRun: true,
    schema: { input: inputFields, output: outputFields },
    async handler(ctx) {
      const { domainId, userProfileName } = ctx.input;
      const account = accountByName(platform, ctx.input.account);
      const profile = `user profile ${userProfileName} in domain ${domainId}`;
      if (ctx.isDryRun) {
        ctx.logger.info(`Would create ${profile} of ${account.name}`);
        const resource = `user-profile/${domainId}/${userProfileName}`;
        ctx.output(
          'arn',
          sagemakerArn(platform.region, account.accountId, resource),
        );
        ctx.output('created', false);
        return;
      }
      const result = await options.clients
        .create(SageMakerClient, account.accountId)
        .then(sagemaker => ensureUserProfile(sagemaker, ctx.input))
        .catch(e => {
          throw awsFailure(`create ${profile}`, account, e);
        });
      ctx.logger.info(
        result.created
          ? `Created ${profile}`
          : `The ${profile} already exists; left as it is`,
      );
      ctx.output('arn', result.arn);
      ctx.output('created', result.created);
    },
  });
}
