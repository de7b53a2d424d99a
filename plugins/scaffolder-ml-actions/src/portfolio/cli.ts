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

const OPTIONS = {
  portfolio: { type: 'string' },
  account: { type: 'string' },
  owner: { type: 'string' },
  audience: { type: 'string' },
  out: { type: 'string' },
  config: { type: 'string', multiple: true },
  force: { type: 'boolean', default: false },
  'dry-run': { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

type Args = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

/** The audience, when one is given, checked before AWS is asked. */
function checkedAudience(audience: string | undefined) {
  if (audience !== undefined && !TEMPLATE_AUDIENCE_NAME.test(audience)) {
    throw new InputError(
      `--audience: '${audience}' is not an audience name (lower-case letters, digits and dashes)`,
    );
  }
  return audience;
}

/** The portfolio's templates, read with the app config's AWS settings. */
async function readTemplates(args: Args, cwd: string) {
  const owner = ownerRef(args.owner!);
  const audience = checkedAudience(args.audience);
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
  return portfolioTemplates({
    catalog,
    portfolio: args.portfolio!,
    account: account.name,
    owner,
    audience,
  });
}

/** Prints the files (a dry run) or writes them, and how to register them. */
function emit(
  files: Awaited<ReturnType<typeof readTemplates>>,
  args: Args,
  cwd: string,
  out: { log(line: string): void },
) {
  const dir = path.resolve(
    cwd,
    args.out ??
      path.join('templates', 'service-catalog', slug(args.portfolio!)),
  );
  if (args['dry-run']) {
    for (const f of files) out.log(`--- ${path.join(dir, f.path)}\n${f.text}`);
    return;
  }
  for (const f of writeTemplateFiles(dir, files, { force: args.force }))
    out.log(`${f.status.padEnd(11)} ${path.relative(cwd, f.path)}`);
  out.log(
    `\nRegister them with one catalog location in app-config.yaml:\n  - { type: file, target: ${path.join(
      dir,
      'catalog-info.yaml',
    )}, rules: [{ allow: [Location, Template] }] }`,
  );
}

/** The arguments, or the exit code and what to print when they are not enough to run. */
function readArgs(
  argv: string[],
): { args: Args } | { code: number; line: string } {
  let args: Args;
  try {
    args = parseArgs({ args: argv, options: OPTIONS }).values;
  } catch (e) {
    return { code: 2, line: `${(e as Error).message}\n\n${USAGE}` };
  }
  if (args.help) return { code: 0, line: USAGE };
  const missing = (['portfolio', 'account', 'owner'] as const).filter(
    k => !args[k],
  );
  if (missing.length) {
    const names = missing.map(k => `--${k}`).join(', ');
    return { code: 2, line: `Missing ${names}\n\n${USAGE}` };
  }
  return { args };
}

/**
 * `yarn portfolio:templates`: moves a Service Catalog portfolio to the Create
 * page. Returns the exit code; every failure is one line naming what was wrong.
 */
export async function main(
  argv: string[],
  out: { log(line: string): void; error(line: string): void } = console,
): Promise<number> {
  const read = readArgs(argv);
  if (!('args' in read)) {
    if (read.code === 0) out.log(read.line);
    else out.error(read.line);
    return read.code;
  }
  // Relative paths are the caller's, not the workspace's that yarn runs the script in.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  try {
    emit(await readTemplates(read.args, cwd), read.args, cwd, out);
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
