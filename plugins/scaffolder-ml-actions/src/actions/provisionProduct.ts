import { createHash } from 'node:crypto';
import {
  DescribeRecordCommand,
  DescribeRecordCommandOutput,
  ProvisionProductCommand,
  SearchProvisionedProductsCommand,
  ServiceCatalogClient,
} from '@aws-sdk/client-service-catalog';
import { Config } from '@backstage/config';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  accountByName,
  readMlPlatformConfig,
} from '@ml-governance/plugin-ml-registry-common';
import { AwsClientFactory } from '@ml-governance/plugin-ml-registry-node';
import { awsFailure } from './awsFailure';
import { examples } from './provisionProduct.examples';
import { waitFor } from './waitFor';

const DONE = new Set(['SUCCEEDED', 'FAILED', 'IN_PROGRESS_IN_ERROR']);

/**
 * `servicecatalog:product:provision` provisions a Service Catalog product (by
 * product and artifact) with parameters and waits for its record, so teams
 * can keep running the portfolio products they still have from Backstage. A
 * re-run with the same name finds the provisioned product and returns its
 * outputs; parameter values are never logged.
 *
 * @public
 */
export function createProvisionProductAction(options: {
  config: Config;
  clients: AwsClientFactory;
  pollMs?: number;
}) {
  const platform = readMlPlatformConfig(options.config);
  const pollMs = options.pollMs ?? 5000;

  return createTemplateAction({
    id: 'servicecatalog:product:provision',
    description:
      'Provisions an AWS Service Catalog product and waits for it to finish.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        account: z =>
          z
            .string()
            .min(1)
            .describe(
              'The account holding the portfolio, by its name under mlRegistry.accounts',
            ),
        productId: z =>
          z
            .string()
            .regex(/^prod-[a-z0-9]+$/, 'a product id such as prod-abc123')
            .describe('The product'),
        provisioningArtifactId: z =>
          z
            .string()
            .optional()
            .describe(
              'The version (provisioning artifact) id; default the newest',
            ),
        provisioningArtifactName: z =>
          z.string().optional().describe('Or the version by name'),
        provisionedProductName: z =>
          z
            .string()
            .regex(
              /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,127}$/,
              'letters, digits, dots, dashes and underscores',
            )
            .describe(
              'The name of what is provisioned; a re-run with this name reuses it',
            ),
        parameters: z =>
          z
            .record(z.string(), z.string())
            .optional()
            .describe('The product parameters'),
        timeoutSeconds: z =>
          z
            .number()
            .int()
            .min(1)
            .max(3600)
            .optional()
            .describe('How long to wait for the record; default 1800'),
      },
      output: {
        provisionedProductId: z => z.string(),
        recordId: z => z.string(),
        created: z =>
          z
            .boolean()
            .describe(
              'False when the product was already provisioned under this name',
            ),
        outputs: z =>
          z.record(z.string(), z.string()).describe('The product outputs'),
      },
    },
    async handler(ctx) {
      const input = ctx.input;
      const account = accountByName(platform, input.account);
      const parameterKeys = Object.keys(input.parameters ?? {});
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Would provision ${input.productId} as ${
            input.provisionedProductName
          } in ${account.name} with parameters ${
            parameterKeys.join(', ') || 'none'
          }`,
        );
        ctx.output('provisionedProductId', 'pp-dry-run');
        ctx.output('recordId', 'rec-dry-run');
        ctx.output('created', false);
        ctx.output('outputs', {});
        return;
      }
      const failure = (e: any) =>
        awsFailure(
          `provision ${input.productId} as ${input.provisionedProductName}`,
          account,
          e,
        );
      const catalog = await options.clients.create(
        ServiceCatalogClient,
        account.accountId,
      );
      let created = false;
      let recordId: string;
      let provisionedProductId: string;
      try {
        const { ProvisionedProducts = [] } = await catalog.send(
          new SearchProvisionedProductsCommand({
            Filters: { SearchQuery: [`name:${input.provisionedProductName}`] },
          }),
        );
        const existing = ProvisionedProducts.find(
          p => p.Name === input.provisionedProductName,
        );
        if (existing) {
          ctx.logger.info(
            `${input.provisionedProductName} is already provisioned (${existing.Id}, ${existing.Status}); reusing it`,
          );
          recordId = existing.LastRecordId!;
          provisionedProductId = existing.Id!;
        } else {
          // The same request always carries the same token, so a retried call provisions once.
          const token = createHash('sha256')
            .update(
              JSON.stringify([
                account.accountId,
                input.productId,
                input.provisioningArtifactId,
                input.provisioningArtifactName,
                input.provisionedProductName,
                input.parameters,
              ]),
            )
            .digest('hex')
            .slice(0, 32);
          const { RecordDetail } = await catalog.send(
            new ProvisionProductCommand({
              ProductId: input.productId,
              ProvisioningArtifactId: input.provisioningArtifactId,
              ProvisioningArtifactName: input.provisioningArtifactName,
              ProvisionedProductName: input.provisionedProductName,
              ProvisioningParameters: Object.entries(
                input.parameters ?? {},
              ).map(([Key, Value]) => ({ Key, Value })),
              ProvisionToken: token,
            }),
          );
          created = true;
          recordId = RecordDetail!.RecordId!;
          provisionedProductId = RecordDetail!.ProvisionedProductId!;
          ctx.logger.info(
            `Provisioning ${input.productId} as ${
              input.provisionedProductName
            } (record ${recordId}; parameters ${
              parameterKeys.join(', ') || 'none'
            })`,
          );
        }
      } catch (e) {
        throw failure(e);
      }

      const record = await waitFor<DescribeRecordCommandOutput>({
        what: `Record ${recordId} of ${input.provisionedProductName}`,
        log: m => ctx.logger.info(m),
        pollMs,
        timeoutSeconds: input.timeoutSeconds ?? 1800,
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
          `Provisioning ${input.provisionedProductName} ended ${status}${
            errors ? `: ${errors}` : ''
          }`,
        );
      }
      ctx.output('provisionedProductId', provisionedProductId);
      ctx.output('recordId', recordId);
      ctx.output('created', created);
      ctx.output(
        'outputs',
        Object.fromEntries(
          (record.RecordOutputs ?? []).map(o => [
            o.OutputKey!,
            o.OutputValue ?? '',
          ]),
        ),
      );
    },
  });
}
