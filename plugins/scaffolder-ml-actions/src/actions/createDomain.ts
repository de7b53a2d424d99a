import {
  CreateDomainCommand,
  DescribeDomainCommand,
  DescribeDomainCommandOutput,
  paginateListDomains,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { Config } from '@backstage/config';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  accountByName,
  readMlPlatformConfig,
} from '@ml-governance/plugin-ml-registry-common';
import {
  AwsClientFactory,
  entityName,
} from '@ml-governance/plugin-ml-registry-node';
import { awsFailure } from './awsFailure';
import { examples } from './createDomain.examples';
import { readMlRoles, roleArn } from './roles';
import { waitFor } from './waitFor';

const FAILED = new Set([
  'Failed',
  'Update_Failed',
  'Delete_Failed',
  'Deleting',
]);

/**
 * `sagemaker:domain:create` creates a SageMaker Studio domain in a team's
 * account (the ML Admin portfolio's product) and waits until it is InService,
 * logging its status as it goes. A re-run finds the domain by name and waits
 * for it instead of creating another.
 *
 * @public
 */
export function createDomainAction(options: {
  config: Config;
  clients: AwsClientFactory;
  pollMs?: number;
}) {
  const platform = readMlPlatformConfig(options.config);
  const roles = readMlRoles(options.config);

  return createTemplateAction({
    id: 'sagemaker:domain:create',
    description:
      'Creates a SageMaker Studio domain and waits until it is InService.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        account: z =>
          z
            .string()
            .min(1)
            .describe(
              'The account to create it in, by its name under mlRegistry.accounts',
            ),
        name: z =>
          z
            .string()
            .regex(
              /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/,
              'letters, digits and single dashes, at most 63 characters',
            )
            .describe('The domain name'),
        vpcId: z =>
          z
            .string()
            .regex(/^vpc-[a-f0-9]{1,17}$/, 'a VPC id such as vpc-0abc123')
            .describe('The VPC Studio runs in'),
        subnetIds: z =>
          z
            .array(
              z
                .string()
                .regex(
                  /^subnet-[a-f0-9]{1,17}$/,
                  'subnet ids such as subnet-0abc123',
                ),
            )
            .min(1)
            .max(16)
            .describe('Its subnets'),
        authMode: z =>
          z
            .enum(['IAM', 'SSO'])
            .optional()
            .describe('How users sign in to Studio; default IAM'),
        tags: z =>
          z
            .record(z.string(), z.string())
            .optional()
            .describe('Tags for the domain'),
        timeoutSeconds: z =>
          z
            .number()
            .int()
            .min(1)
            .max(7200)
            .optional()
            .describe('How long to wait for InService; default 1800'),
      },
      output: {
        domainId: z => z.string(),
        arn: z => z.string(),
        url: z => z.string().describe('The Studio URL'),
        created: z =>
          z
            .boolean()
            .describe('False when a domain of this name already existed'),
        entityRef: z =>
          z
            .string()
            .describe(
              'The sagemaker-domain entity it becomes after the next sync',
            ),
      },
    },
    async handler(ctx) {
      const input = { ...ctx.input, authMode: ctx.input.authMode ?? 'IAM' };
      const account = accountByName(platform, input.account);
      ctx.output(
        'entityRef',
        `resource:default/${entityName(account.name, `domain-${input.name}`)}`,
      );
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Would create Studio domain ${input.name} (${input.authMode}) in ${
            account.name
          }, VPC ${input.vpcId}, subnets ${input.subnetIds.join(', ')}`,
        );
        ctx.output('domainId', 'd-dry-run');
        ctx.output(
          'arn',
          `arn:aws:sagemaker:${platform.region}:${account.accountId}:domain/d-dry-run`,
        );
        ctx.output('url', '');
        ctx.output('created', false);
        return;
      }
      const failure = (e: any) =>
        awsFailure(`create Studio domain ${input.name}`, account, e);
      const sagemaker = await options.clients.create(
        SageMakerClient,
        account.accountId,
      );
      let domainId: string | undefined;
      let created = false;
      try {
        for await (const page of paginateListDomains(
          { client: sagemaker },
          {},
        )) {
          domainId ??= page.Domains?.find(
            d => d.DomainName === input.name && d.Status !== 'Deleting',
          )?.DomainId;
        }
        if (domainId) {
          ctx.logger.info(
            `Studio domain ${input.name} already exists (${domainId}); reusing it`,
          );
        } else {
          ({ DomainId: domainId } = await sagemaker.send(
            new CreateDomainCommand({
              DomainName: input.name,
              AuthMode: input.authMode,
              VpcId: input.vpcId,
              SubnetIds: input.subnetIds,
              DefaultUserSettings: {
                ExecutionRole: roleArn(
                  account.accountId,
                  roles.studioExecution,
                ),
              },
              Tags: Object.entries(input.tags ?? {}).map(([Key, Value]) => ({
                Key,
                Value,
              })),
            }),
          ));
          created = true;
          ctx.logger.info(
            `Creating Studio domain ${input.name} (${domainId}) in ${account.name}`,
          );
        }
      } catch (e) {
        throw failure(e);
      }
      const domain = await waitFor<DescribeDomainCommandOutput>({
        what: `Studio domain ${input.name}`,
        log: m => ctx.logger.info(m),
        pollMs: options.pollMs ?? 10_000,
        timeoutSeconds: input.timeoutSeconds ?? 1800,
        check: async () => {
          const d = await sagemaker
            .send(new DescribeDomainCommand({ DomainId: domainId }))
            .catch(e => {
              throw failure(e);
            });
          if (d.Status === 'InService') return { done: d };
          if (FAILED.has(d.Status ?? '')) {
            throw new Error(
              `Studio domain ${input.name} (${domainId}) is ${d.Status}${
                d.FailureReason ? `: ${d.FailureReason}` : ''
              }`,
            );
          }
          return { state: d.Status ?? 'Pending' };
        },
      });
      ctx.logger.info(
        `Studio domain ${input.name} is InService: ${domain.Url}`,
      );
      ctx.output('domainId', domainId!);
      ctx.output('arn', domain.DomainArn!);
      ctx.output('url', domain.Url ?? '');
      ctx.output('created', created);
    },
  });
}
