import { Config } from '@backstage/config';
import {
  accountByName,
  readMlPlatformConfig,
} from '@ml-governance/plugin-ml-registry-common';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { examples } from './resolveAccount.examples';

/**
 * The input of `ml:account:resolve`, as its schema checks it.
 *
 * @public
 */
export type ResolveAccountInput = {
  account: string;
};

/**
 * The output of `ml:account:resolve`.
 *
 * @public
 */
export type ResolveAccountOutput = {
  accountId: string;
  stage: string;
  region: string;
  team?: string;
};

/**
 * `ml:account:resolve` turns an account's configured name into its id, stage and
 * region, so templates can build ARNs and pass accounts between steps by name.
 *
 * @public
 */
export function createResolveAccountAction(options: {
  config: Config;
}): TemplateAction<ResolveAccountInput, ResolveAccountOutput, 'v2'> {
  // Read once: the module has already refused to start on a bad config.
  const platform = readMlPlatformConfig(options.config);

  return createTemplateAction({
    id: 'ml:account:resolve',
    description:
      'Looks up an AWS account of the ML platform by its configured name.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        account: z =>
          z
            .string()
            .min(1)
            .describe(
              'The account name, as configured under mlRegistry.accounts',
            ),
      },
      output: {
        accountId: z => z.string().describe('The 12-digit AWS account id'),
        stage: z =>
          z.string().describe('shared-services, dev, test, prod or governance'),
        region: z => z.string().describe('The region of the ML platform'),
        team: z =>
          z.string().optional().describe('The owning team, for dev accounts'),
      },
    },
    async handler(ctx) {
      const account = accountByName(platform, ctx.input.account);
      ctx.output('accountId', account.accountId);
      ctx.output('stage', account.stage);
      ctx.output('region', platform.region);
      if (account.team) ctx.output('team', account.team);
    },
  });
}
