import { createHash } from 'node:crypto';
import {
  DescribeRecordCommand,
  DescribeRecordCommandOutput,
  ProvisionProductCommand,
  SearchProvisionedProductsCommand,
  ServiceCatalogClient,
} from '@aws-sdk/client-service-catalog';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  accountByName,
  MlAccount,
  readMlPlatformConfig,
} from '@ml-governance/plugin-ml-registry-common';
import { accountField } from './accountField';
import { awsFailure } from './awsFailure';
import { WaitingAwsActionOptions } from './awsActionOptions';
import { examples } from './provisionProduct.examples';
import { waitFor } from './waitFor';
import { Zod } from './zod';

const DONE = new Set(['SUCCEEDED', 'FAILED', 'IN_PROGRESS_IN_ERROR']);

const inputFields = {
  account: accountField('The account holding the portfolio'),
  productId: (z: Zod) =>
    z
      .string()
      .regex(/^prod-[a-z0-9]+$/, 'a product id such as prod-abc123')
      .describe('The product'),
  provisioningArtifactId: (z: Zod) =>
    z
      .string()
      .optional()
      .describe('The version (provisioning artifact) id; default the newest'),
  provisioningArtifactName: (z: Zod) =>
    z.string().optional().describe('Or the version by name'),
  provisionedProductName: (z: Zod) =>
    z
      .string()
      .regex(
        /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,127}$/,
        'letters, digits, dots, dashes and underscores',
      )
      .describe(
        'The name of what is provisioned; a re-run with this name reuses it',
      ),
  parameters: (z: Zod) =>
    z
      .record(z.string(), z.string())
      .optional()
      .describe('The product parameters'),
  timeoutSeconds: (z: Zod) =>
    z
      .number()
      .int()
      .min(1)
      .max(3600)
      .optional()
      .describe('How long to wait for the record; default 1800'),
};

const outputFields = {
  provisionedProductId: (z: Zod) => z.string(),
  recordId: (z: Zod) => z.string(),
  created: (z: Zod) =>
    z
      .boolean()
      .describe(
        'False when the product was already provisioned under this name',
      ),
  outputs: (z: Zod) =>
    z.record(z.string(), z.string()).describe('The product outputs'),
};

interface ProvisionInput {
  productId: string;
  provisioningArtifactId?: string;
  provisioningArtifactName?: string;
  provisionedProductName: string;
  parameters?: Record<string, string>;
}

/** The parameters' names only: their values may be secret. */
const parameterNames = (input: ProvisionInput) =>
  Object.keys(input.parameters ?? {}).join(', ') || 'none';

/** The same request always carries the same token, so a retried call provisions once. */
function provisionToken(accountId: string, input: ProvisionInput): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        accountId,
        input.productId,
        input.provisioningArtifactId,
        input.provisioningArtifactName,
        input.provisionedProductName,
        input.parameters,
      ]),
    )
    .digest('hex')
    .slice(0, 32);
}

/** The provisioned product of that name and its last record, provisioned unless it is there. */
async function findOrProvision(
  catalog: ServiceCatalogClient,
  account: MlAccount,
  input: ProvisionInput,
  log: (message: string) => void,
) {
  const name = input.provisionedProductName;
  const { ProvisionedProducts = [] } = await catalog.send(
    new SearchProvisionedProductsCommand({
      Filters: { SearchQuery: [`name:${name}`] },
    }),
  );
  const existing = ProvisionedProducts.find(p => p.Name === name);
  if (existing) {
    log(
      `${name} is already provisioned (${existing.Id}, ${existing.Status}); reusing it`,
    );
    return {
      recordId: existing.LastRecordId!,
      provisionedProductId: existing.Id!,
      created: false,
    };
  }
  const token = provisionToken(account.accountId, input);
  const { RecordDetail } = await catalog.send(
    new ProvisionProductCommand({
      ProductId: input.productId,
      ProvisioningArtifactId: input.provisioningArtifactId,
      ProvisioningArtifactName: input.provisioningArtifactName,
      ProvisionedProductName: name,
      ProvisioningParameters: Object.entries(input.parameters ?? {}).map(
        ([Key, Value]) => ({ Key, Value }),
      ),
      ProvisionToken: token,
    }),
  );
  const recordId = RecordDetail!.RecordId!;
  log(
    `Provisioning ${
      input.productId
    } as ${name} (record ${recordId}; parameters ${parameterNames(input)})`,
  );
  return {
    recordId,
    provisionedProductId: RecordDetail!.ProvisionedProductId!,
    created: true,
  };
}

/** Polls the record until it is done; one that did not succeed ends with its errors. */
async function recordSucceeded(
  catalog: ServiceCatalogClient,
  recordId: string,
  name: string,
  wait: {
    log: (message: string) => void;
    pollMs: number;
    timeoutSeconds: number;
    failure: (e: unknown) => Error;
  },
) {
  const { failure, ...polling } = wait;
  const record = await waitFor<DescribeRecordCommandOutput>({
    what: `Record ${recordId} of ${name}`,
    ...polling,
    check: async () => {
      const described = await catalog
        .send(new DescribeRecordCommand({ Id: recordId }))
        .catch(e => {
          throw failure(e);
        });
      const status = described.RecordDetail?.Status ?? 'UNKNOWN';
      return DONE.has(status) ? { done: described } : { state: status };
    },
  });
  const status = record.RecordDetail?.Status;
  if (status !== 'SUCCEEDED') {
    const errors = (record.RecordDetail?.RecordErrors ?? [])
      .map(e => `${e.Code}: ${e.Description}`)
      .join('; ');
    throw new Error(
      `Provisioning ${name} ended ${status}${errors ? `: ${errors}` : ''}`,
    );
  }
  return Object.fromEntries(
    (record.RecordOutputs ?? []).map(o => [o.OutputKey!, o.OutputValue ?? '']),
  );
}

/**
 * The input of `servicecatalog:product:provision`, as its schema checks it.
 *
 * @public
 */
export type ProvisionProductInput = {
  account: string;
  productId: string;
  provisionedProductName: string;
  provisioningArtifactId?: string;
  provisioningArtifactName?: string;
  parameters?: Record<string, string>;
  timeoutSeconds?: number;
};

/**
 * The output of `servicecatalog:product:provision`.
 *
 * @public
 */
export type ProvisionProductOutput = {
  provisionedProductId: string;
  recordId: string;
  created: boolean;
  outputs: Record<string, string>;
};

/**
 * `servicecatalog:product:provision` provisions a Service Catalog product (by
 * product and artifact) with parameters and waits for its record, so teams
 * can keep running the portfolio products they still have from Backstage. A
 * re-run with the same name finds the provisioned product and returns its
 * outputs; parameter values are never logged.
 *
 * @public
 */
export function createProvisionProductAction(
  options: WaitingAwsActionOptions,
): TemplateAction<ProvisionProductInput, ProvisionProductOutput, 'v2'> {
  const platform = readMlPlatformConfig(options.config);
  const pollMs = options.pollMs ?? 5000;

  return createTemplateAction({
    id: 'servicecatalog:product:provision',
    description:
      'Provisions an AWS Service Catalog product and waits for it to finish.',
    examples,
    supportsDryRun: true,
    schema: { input: inputFields, output: outputFields },
    async handler(ctx) {
      const { timeoutSeconds, account: accountName, ...product } = ctx.input;
      const account = accountByName(platform, accountName);
      const name = product.provisionedProductName;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Would provision ${product.productId} as ${name} in ${
            account.name
          } with parameters ${parameterNames(product)}`,
        );
        ctx.output('provisionedProductId', 'pp-dry-run');
        ctx.output('recordId', 'rec-dry-run');
        ctx.output('created', false);
        ctx.output('outputs', {});
        return;
      }
      const failure = (e: unknown) =>
        awsFailure(`provision ${product.productId} as ${name}`, account, e);
      const catalog = await options.clients.create(
        ServiceCatalogClient,
        account.accountId,
      );
      const log = (message: string) => ctx.logger.info(message);
      const found = await findOrProvision(catalog, account, product, log).catch(
        e => {
          throw failure(e);
        },
      );
      const outputs = await recordSucceeded(catalog, found.recordId, name, {
        log,
        pollMs,
        timeoutSeconds: timeoutSeconds ?? 1800,
        failure,
      });
      ctx.output('provisionedProductId', found.provisionedProductId);
      ctx.output('recordId', found.recordId);
      ctx.output('created', found.created);
      ctx.output('outputs', outputs);
    },
  });
}
