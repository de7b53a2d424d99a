import {
  CreateUserProfileCommand,
  DescribeUserProfileCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { Config } from '@backstage/config';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  accountByName,
  readMlPlatformConfig,
} from '@ml-governance/plugin-ml-registry-common';
import { AwsClientFactory } from '@ml-governance/plugin-ml-registry-node';
import { awsFailure } from './awsFailure';
import { examples } from './createUserProfile.examples';

/**
 * `sagemaker:user-profile:create` adds a user to a Studio domain. A re-run
 * finds the profile and leaves it as it is.
 *
 * @public
 */
export function createUserProfileAction(options: {
  config: Config;
  clients: AwsClientFactory;
}) {
  const platform = readMlPlatformConfig(options.config);

  return createTemplateAction({
    id: 'sagemaker:user-profile:create',
    description: 'Creates a SageMaker Studio user profile in a domain.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        account: z =>
          z
            .string()
            .min(1)
            .describe(
              'The account of the domain, by its name under mlRegistry.accounts',
            ),
        domainId: z =>
          z
            .string()
            .regex(/^d-[a-z0-9]{1,63}$/, 'a domain id such as d-abc123')
            .describe('The Studio domain'),
        userProfileName: z =>
          z
            .string()
            .regex(
              /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/,
              'letters, digits and single dashes, at most 63 characters',
            )
            .describe("The profile name, usually the user's name"),
        tags: z =>
          z
            .record(z.string(), z.string())
            .optional()
            .describe('Tags for the profile'),
      },
      output: {
        arn: z => z.string(),
        created: z =>
          z.boolean().describe('False when the profile already existed'),
      },
    },
    async handler(ctx) {
      const input = ctx.input;
      const account = accountByName(platform, input.account);
      const arn = `arn:aws:sagemaker:${platform.region}:${account.accountId}:user-profile/${input.domainId}/${input.userProfileName}`;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Would create user profile ${input.userProfileName} in domain ${input.domainId} of ${account.name}`,
        );
        ctx.output('arn', arn);
        ctx.output('created', false);
        return;
      }
      try {
        const sagemaker = await options.clients.create(
          SageMakerClient,
          account.accountId,
        );
        const existing = await sagemaker
          .send(
            new DescribeUserProfileCommand({
              DomainId: input.domainId,
              UserProfileName: input.userProfileName,
            }),
          )
          .catch(e => {
            if (e?.name === 'ResourceNotFound') return undefined;
            throw e;
          });
        if (existing) {
          ctx.logger.info(
            `User profile ${input.userProfileName} already exists in ${input.domainId}; left as it is`,
          );
          ctx.output('arn', existing.UserProfileArn!);
          ctx.output('created', false);
          return;
        }
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
        ctx.logger.info(
          `Created user profile ${input.userProfileName} in ${input.domainId}`,
        );
        ctx.output('arn', created.UserProfileArn!);
        ctx.output('created', true);
      } catch (e) {
        throw awsFailure(
          `create user profile ${input.userProfileName} in domain ${input.domainId}`,
          account,
          e,
        );
      }
    },
  });
}
