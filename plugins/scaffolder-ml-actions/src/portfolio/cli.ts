import path from 'node:path';
import { parseArgs } from 'node:util';
import { ServiceCatalogClient } from '@aws-sdk/client-service-catalog';
import { ConfigSources } from '@backstage/config-loader';
import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  accountByName,
  readMlPlatformConfig,
  TEMPLATE_AUDIENCE_NAME,
} from '@ml-governance/plugin-ml-registry-common';
import { AwsClientFactory } from '@ml-governance/plugin-ml-registry-node';
import { portfolioTemplates, writeTemplateFiles } from './portfolioTemplates';
import { slug } from './productTemplate';

const USAGE = `Usage: yarn portfolio:templates --portfolio <name or id> --account <ML account name> --owner <group ref>
       [--audience <audience>] [--out <folder>] [--config <app-config file> ...] [--force] [--dry-run]

Reads a Service Catalog portfolio and writes one Scaffolder template per product
(servicecatalog:product:provision) and a catalog-info.yaml Location that
registers them all. AWS credentials and endpoint come from the app config's
aws and mlRegistry sections, as in the backend.

  --portfolio  the portfolio's display name or id (port-...)
  --account    the account holding it, by its name under mlRegistry.accounts
  --owner      the templates' owner, e.g. group:default/platform-engineers
  --audience   who sees and runs them (mlRegistry.templateAccess), e.g. ml-admin;
               default: everyone sees them, and runs them as far as the
               provision action's audience allows
  --out        where to write (default templates/service-catalog/<portfolio>)
  --config     app-config files (default app-config.yaml, app-config.local.yaml)
  --force      overwrite files that differ from what the portfolio gives
  --dry-run    print what would be written, write nothing`;

const validator = makeValidator();

/** The owner as a full group or user ref; anything else is refused before AWS is asked. */
function ownerRef(text: string): string {
  const ref = parseEntityRef(text, {
    defaultKind: 'group',
    defaultNamespace: 'default',
  });
  if (
    !['group', 'user'].includes(ref.kind.toLocaleLowerCase('en-US')) ||
    !validator.isValidNamespace(ref.namespace) ||
    !validator.isValidEntityName(ref.name)
  ) {
    throw new InputError(
      `--owner: '${text}' is not a group or user reference such as group:default/platform-engineers`,
    );
  }
  return stringifyEntityRef(ref);
}

/**
 * `yarn portfolio:templates`: moves a Service Catalog portfolio to the Create
 * page. Returns the exit code; every failure is one line naming what was wrong.
 */
export async function main(
  argv: string[],
  out: { log(line: string): void; error(line: string): void } = console,
): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        portfolio: { type: 'string' },
        account: { type: 'string' },
        owner: { type: 'string' },
        audience: { type: 'string' },
        out: { type: 'string' },
        config: { type: 'string', multiple: true },
        force: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (e) {
    out.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    out.log(USAGE);
    return 0;
  }
  const missing = (['portfolio', 'account', 'owner'] as const).filter(
    k => !args[k],
  );
  if (missing.length) {
    out.error(`Missing ${missing.map(k => `--${k}`).join(', ')}\n\n${USAGE}`);
    return 2;
  }
  // Relative paths are the caller's, not the workspace's that yarn runs the script in.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  try {
    const owner = ownerRef(args.owner!);
    if (
      args.audience !== undefined &&
      !TEMPLATE_AUDIENCE_NAME.test(args.audience)
    ) {
      throw new InputError(
        `--audience: '${args.audience}' is not an audience name (lower-case letters, digits and dashes)`,
      );
    }
    const config = await ConfigSources.toConfig(
      ConfigSources.default({
        rootDir: cwd,
        argv: (args.config ?? []).flatMap(c => [
          '--config',
          path.resolve(cwd, c),
        ]),
      }),
    );
    config.close();
    const account = accountByName(
      readMlPlatformConfig(config),
      args.account!,
      '--account',
    );
    const catalog = await AwsClientFactory.fromConfig(config).create(
      ServiceCatalogClient,
      account.accountId,
    );
    const files = await portfolioTemplates({
      catalog,
      portfolio: args.portfolio!,
      account: account.name,
      owner,
      audience: args.audience,
    });
    const dir = path.resolve(
      cwd,
      args.out ??
        path.join('templates', 'service-catalog', slug(args.portfolio!)),
    );
    if (args['dry-run']) {
      for (const f of files)
        out.log(`--- ${path.join(dir, f.path)}\n${f.text}`);
      return 0;
    }
    for (const f of writeTemplateFiles(dir, files, { force: args.force }))
      out.log(`${f.status.padEnd(11)} ${path.relative(cwd, f.path)}`);
    out.log(
      `\nRegister them with one catalog location in app-config.yaml:\n  - { type: file, target: ${path.join(
        dir,
        'catalog-info.yaml',
      )}, rules: [{ allow: [Location, Template] }] }`,
    );
    return 0;
  } catch (e) {
    const error = e as Error;
    out.error(
      `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`,
    );
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(code => {
    process.exitCode = code;
  });
}
