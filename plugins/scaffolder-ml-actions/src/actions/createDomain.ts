import {
  CreateDomainCommand,
  DescribeDomainCommand,
  DescribeDomainCommandOutput,
  paginateListDomains,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { stringifyEntityRef } from '@backstage/catalog-model';
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
  entityName,
} from '@ml-governance/plugin-ml-registry-node';
import { accountField } from './accountField';
import { awsFailure } from './awsFailure';
import { WaitingAwsActionOptions } from './awsActionOptions';
import { examples } from './createDomain.examples';
import { MlRoles, readMlRoles } from './roles';
import { waitFor } from './waitFor';
import { Zod } from './zod';

const FAILED = new Set([
  'Failed',
  'Update_Failed',
  'Delete_Failed',
  'Deleting',
]);

const inputFields = {
  account: accountField('The account to create it in'),
  name: (z: Zod) =>
    z
      .string()
      .regex(
        /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/,
        'letters, digits and single dashes, at most 63 characters',
      )
      .describe('The domain name'),
  vpcId: (z: Zod) =>
    z
      .string()
      .regex(/^vpc-[a-f0-9]{1,17}$/, 'a VPC id such as vpc-0abc123')
      .describe('The VPC Studio runs in'),
  subnetIds: (z: Zod) =>
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
  authMode: (z: Zod) =>
    z
      .enum(['IAM', 'SSO'])
      .optional()
      .describe('How users sign in to Studio; default IAM'),
  tags: (z: Zod) =>
    z.record(z.string(), z.string()).optional().describe('Tags for the domain'),
  timeoutSeconds: (z: Zod) =>
    z
      .number()
      .int()
      .min(1)
      .max(7200)
      .optional()
      .describe('How long to wait for InService; default 1800'),
};

const outputFields = {
  domainId: (z: Zod) => z.string(),
  arn: (z: Zod) => z.string(),
  url: (z: Zod) => z.string().describe('The Studio URL'),
  created: (z: Zod) =>
    z.boolean().describe('False when a domain of this name already existed'),
  entityRef: (z: Zod) =>
    z
      .string()
      .describe('The sagemaker-domain entity it becomes after the next sync'),
};

interface DomainInput {
  name: string;
  authMode: 'IAM' | 'SSO';
  vpcId: string;
  subnetIds: string[];
  tags?: Record<string, string>;
}

/** The id of the domain of that name, created unless one is there (and not being deleted). */
async function findOrCreateDomain(
  sagemaker: SageMakerClient,
  input: DomainInput,
  executionRoleArn: string,
): Promise<{ domainId: string; created: boolean }> {
  for await (const page of paginateListDomains({ client: sagemaker }, {})) {
    const found = page.Domains?.find(
      d => d.DomainName === input.name && d.Status !== 'Deleting',
    );
    if (found) return { domainId: found.DomainId!, created: false };
  }
  const { DomainId } = await sagemaker.send(
    new CreateDomainCommand({
      DomainName: input.name,
      AuthMode: input.authMode,
      VpcId: input.vpcId,
      SubnetIds: input.subnetIds,
      DefaultUserSettings: { ExecutionRole: executionRoleArn },
      Tags: Object.entries(input.tags ?? {}).map(([Key, Value]) => ({
        Key,
        Value,
      })),
    }),
  );
  return { domainId: DomainId!, created: true };
}

/** Polls the domain until it is InService; a failed or deleted one ends the wait. */
function domainInService(
  sagemaker: SageMakerClient,
  what: string,
  domainId: string,
  wait: {
    log: (message: string) => void;
    pollMs: number;
    timeoutSeconds: number;
    failure: (e: unknown) => Error;
  },
) {
  const { failure, ...polling } = wait;
  return waitFor<DescribeDomainCommandOutput>({
    what,
    ...polling,
    check: async () => {
      const d = await sagemaker
        .send(new DescribeDomainCommand({ DomainId: domainId }))
        .catch(e => {
          throw failure(e);
        });
      if (d.Status === 'InService') return { done: d };
      if (FAILED.has(d.Status ?? '')) {
        throw new Error(
          `${what} (${domainId}) is ${d.Status}${
            d.FailureReason ? `: ${d.FailureReason}` : ''
          }`,
        );
      }
      return { state: d.Status ?? 'Pending' };
    },
  });
}

/**
 * The domain, found or created, once it is InService; a failure of AWS names
 * the domain and the account.
 */
async function domainMade(
  deps: {
    clients: AwsClientFactory;
    platform: MlPlatformConfig;
    roles: MlRoles;
    pollMs?: number;
  },
  account: MlAccount,
  domain: DomainInput & { timeoutSeconds?: number },
  log: (message: string) => void,
) {
  const what = `Studio domain ${domain.name}`;
  const failure = (e: unknown) => awsFailure(`create ${what}`, account, e);
  const sagemaker = await deps.clients.create(
    SageMakerClient,
    account.accountId,
  );
  const executionRole = iamArn(
    deps.platform.region,
    account.accountId,
    deps.roles.studioExecution,
  );
  const { domainId, created } = await findOrCreateDomain(
    sagemaker,
    domain,
    executionRole,
  ).catch(e => {
    throw failure(e);
  });
  log(
    created
      ? `Creating ${what} (${domainId}) in ${account.name}`
      : `${what} already exists (${domainId}); reusing it`,
  );
  const described = await domainInService(sagemaker, what, domainId, {
    log,
    pollMs: deps.pollMs ?? 10_000,
    timeoutSeconds: domain.timeoutSeconds ?? 1800,
    failure,
  });
  return { domainId, created, described };
}

/**
 * The input of `sagemaker:domain:create`, as its schema checks it.
 *
 * @public
 */
export type CreateDomainInput = {
  account: string;
  name: string;
  vpcId: string;
  subnetIds: string[];
  authMode?: 'IAM' | 'SSO';
  tags?: Record<string, string>;
  timeoutSeconds?: number;
};

/**
 * The output of `sagemaker:domain:create`.
 *
 * @public
 */
export type CreateDomainOutput = {
  domainId: string;
  arn: string;
  url: string;
  created: boolean;
  entityRef: string;
};

/**
 * `sagemaker:domain:create` creates a SageMaker Studio domain in a team's
 * account (the ML Admin portfolio's product) and waits until it is InService,
 * logging its status as it goes. A re-run finds the domain by name and waits
 * for it instead of creating another.
 *
 * @public
 */
export function createDomainAction(
  options: WaitingAwsActionOptions,
): TemplateAction<CreateDomainInput, CreateDomainOutput, 'v2'> {
  const platform = readMlPlatformConfig(options.config);
  const roles = readMlRoles(options.config);

  return createTemplateAction({
    id: 'sagemaker:domain:create',
    description:
      'Creates a SageMaker Studio domain and waits until it is InService.',
    examples,
    supportsDryRun: true,
    schema: { input: inputFields, output: outputFields },
    async handler(ctx) {
      const domain = { ...ctx.input, authMode: ctx.input.authMode ?? 'IAM' };
      const account = accountByName(platform, domain.account);
      const what = `Studio domain ${domain.name}`;
      ctx.output(
        'entityRef',
        stringifyEntityRef({
          kind: 'resource',
          name: entityName(account.name, `domain-${domain.name}`),
        }),
      );
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Would create ${what} (${domain.authMode}) in ${account.name}, VPC ${
            domain.vpcId
          }, subnets ${domain.subnetIds.join(', ')}`,
        );
        ctx.output('domainId', 'd-dry-run');
        ctx.output(
          'arn',
          sagemakerArn(platform.region, account.accountId, 'domain/d-dry-run'),
        );
        ctx.output('url', '');
        ctx.output('created', false);
        return;
      }
      const { domainId, created, described } = await domainMade(
        { ...options, platform, roles },
        account,
        domain,
        m => ctx.logger.info(m),
      );
      ctx.logger.info(`${what} is InService: ${described.Url}`);
      ctx.output('domainId', domainId);
      ctx.output('arn', described.DomainArn!);
      ctx.output('url', described.Url ?? '');
      ctx.output('created', created);
    },
  });
}
