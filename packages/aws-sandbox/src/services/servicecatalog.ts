import { OperationTable, RequestContext, rootContext } from '../context';
import type { SandboxCore } from '../core';
import { AwsError } from '../errors';
import { paginate } from '../paginate';
import { AccountState, emptyAccount, Json, nowSeconds } from '../state';
import { str } from '../validate';

const notFound = (what: string) =>
  new AwsError('ResourceNotFoundException', `${what} not found`);

function productOf(ctx: RequestContext, id: string) {
  const product = ctx.account.products[id];
  if (!product) throw notFound(`Product ${id}`);
  return product;
}

function productView(p: Json) {
  return {
    ProductViewSummary: {
      Id: `prodview-${p.Id.slice(5)}`,
      ProductId: p.Id,
      Name: p.Name,
      Owner: p.Owner,
      ShortDescription: p.Description,
      Type: 'CLOUD_FORMATION_TEMPLATE',
      Distributor: p.Owner,
    },
  };
}

function searchProducts(ctx: RequestContext, input: Json): Json[] {
  const fullText: string[] = input.Filters?.FullTextSearch ?? [];
  return Object.values(ctx.account.products).filter(p =>
    fullText.every(t =>
      `${p.Name} ${p.Description}`
        .toLowerCase()
        .includes(String(t).toLowerCase()),
    ),
  );
}

/** What an account factory does: a new account, with the roles the platform assumes into it. */
function vendAccount(
  ctx: RequestContext,
  vends: Json,
  values: Record<string, string>,
): string {
  const { state } = ctx.core;
  let id: string;
  do {
    id = String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999));
  } while (state.accounts[id]);
  state.accounts[id] = emptyAccount(id, values[vends.nameParameter] ?? id);
  for (const role of vends.roles as { name: string; trust: string[] }[]) {
    state.roles.push({
      accountId: id,
      name: role.name,
      trust: role.trust.map(String),
    });
  }
  return id;
}

/** The scheduled step that completes a provisioning (see SandboxCore.schedule). */
const PROVISIONING_TASK = 'servicecatalog:provisioned';

/** Completes a provisioning with the product's outputs, `{{Parameter}}` placeholders filled in. */
export function completeProvisioning(core: SandboxCore, args: Json) {
  const ctx = rootContext(core, args.account);
  const record = ctx.account.records[args.record];
  const product = productOf(ctx, record.ProductId);
  const values: Record<string, string> = args.values;
  const builtins: Record<string, string> = product.Vends
    ? { AccountId: vendAccount(ctx, product.Vends, values) }
    : {};
  record.Status = 'SUCCEEDED';
  record.UpdatedTime = nowSeconds();
  record.RecordOutputs = Object.entries(product.Outputs ?? {}).map(
    ([OutputKey, template]) => ({
      OutputKey,
      OutputValue: String(template).replace(
        /\{\{(\$?)(\w+)\}\}/g,
        (_m, builtin, key) => (builtin ? builtins[key] : values[key]) ?? '',
      ),
    }),
  );
  ctx.account.provisionedProducts[record.ProvisionedProductId].Status =
    'AVAILABLE';
}

function artifactOf(product: Json, input: Json) {
  const id = input.ProvisioningArtifactId;
  const name = input.ProvisioningArtifactName;
  const artifact =
    product.ProvisioningArtifacts.find(
      (a: Json) => (id && a.Id === id) || (name && a.Name === name),
    ) ??
    (!id && !name
      ? product.ProvisioningArtifacts[product.ProvisioningArtifacts.length - 1]
      : undefined);
  if (!artifact)
    throw notFound(
      `Provisioning artifact ${id ?? name} of product ${product.Id}`,
    );
  return artifact;
}

/**
 * Service Catalog portfolios and products from the scenario. Provisioning
 * checks the parameters, then completes after two simulated steps with the
 * product's outputs, `{{Parameter}}` placeholders filled in.
 */
/**
 * The record of a provisioned product of that name provisioned with the same
 * token (a retry of the same request), as ProvisionProduct returns it even
 * when provisioning has completed since: its outputs are DescribeRecord's.
 * Another token is a clash.
 */
function retriedRecord(
  account: AccountState,
  name: string,
  token: string | undefined,
): Json | undefined {
  const existing = Object.values(account.provisionedProducts).find(
    p => p.Name === name,
  );
  if (!existing) return undefined;
  if (existing.ProvisionToken !== token)
    throw new AwsError(
      'DuplicateResourceException',
      `Provisioned product ${name} already exists`,
    );
  const { RecordOutputs: _outputs, ...record } =
    account.records[existing.LastRecordId];
  return record;
}

/** Each parameter's value, given or its default; one without a value, or not among its allowed values, is refused. */
function parameterValues(
  product: Json,
  given: Json[] | undefined,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const p of given ?? []) values[p.Key] = String(p.Value);
  for (const parameter of product.Parameters as Json[]) {
    const value = values[parameter.ParameterKey] ?? parameter.DefaultValue;
    if (value === undefined || value === '') {
      throw new AwsError(
        'InvalidParametersException',
        `Parameter ${parameter.ParameterKey} must have a value`,
      );
    }
    if (
      parameter.ParameterConstraints?.AllowedValues?.length &&
      !parameter.ParameterConstraints.AllowedValues.includes(value)
    ) {
      throw new AwsError(
        'InvalidParametersException',
        `Parameter ${
          parameter.ParameterKey
        } must be one of ${parameter.ParameterConstraints.AllowedValues.join(
          ', ',
        )}`,
      );
    }
    values[parameter.ParameterKey] = value;
  }
  return values;
}

export const serviceCatalogOperations: OperationTable = {
  ListPortfolios(input, ctx) {
    const { page, NextToken } = paginate(
      Object.values(ctx.account.portfolios),
      { MaxResults: input.PageSize, NextToken: input.PageToken },
    );
    return { PortfolioDetails: page, NextPageToken: NextToken };
  },

  SearchProducts(input, ctx) {
    const { page, NextToken } = paginate(searchProducts(ctx, input), {
      MaxResults: input.PageSize,
      NextToken: input.PageToken,
    });
    return {
      ProductViewSummaries: page.map(p => productView(p).ProductViewSummary),
      NextPageToken: NextToken,
    };
  },

  /** The portfolio administrator's search: the only one that narrows to a portfolio. */
  SearchProductsAsAdmin(input, ctx) {
    const portfolioId: string | undefined = input.PortfolioId;
    if (portfolioId && !ctx.account.portfolios[portfolioId])
      throw notFound(`Portfolio ${portfolioId}`);
    const products = searchProducts(ctx, input).filter(
      p => !portfolioId || p.PortfolioIds.includes(portfolioId),
    );
    const { page, NextToken } = paginate(products, {
      MaxResults: input.PageSize,
      NextToken: input.PageToken,
    });
    return {
      ProductViewDetails: page.map(p => ({
        ...productView(p),
        Status: 'AVAILABLE',
        CreatedTime: p.ProvisioningArtifacts[0]?.CreatedTime,
        ProductARN: ctx.core.arn('catalog', ctx.account.id, `product/${p.Id}`),
      })),
      NextPageToken: NextToken,
    };
  },

  DescribeProduct(input, ctx) {
    const product = input.Id
      ? productOf(ctx, str(input, 'Id'))
      : Object.values(ctx.account.products).find(
          p => p.Name === str(input, 'Name'),
        );
    if (!product) throw notFound(`Product ${input.Name}`);
    return {
      ...productView(product),
      ProvisioningArtifacts: product.ProvisioningArtifacts,
      LaunchPaths: product.PortfolioIds.map((id: string) => ({
        Id: `lpv-${id.slice(5)}`,
        Name: ctx.account.portfolios[id]?.DisplayName,
      })),
    };
  },

  DescribeProvisioningParameters(input, ctx) {
    const product = productOf(ctx, str(input, 'ProductId'));
    artifactOf(product, input);
    return {
      ProvisioningArtifactParameters: product.Parameters,
      ConstraintSummaries: [],
      UsageInstructions: [],
      TagOptions: [],
    };
  },

  ProvisionProduct(input, ctx) {
    const product = productOf(ctx, str(input, 'ProductId'));
    const artifact = artifactOf(product, input);
    const name: string = input.ProvisionedProductName;
    const retried = retriedRecord(ctx.account, name, input.ProvisionToken);
    if (retried) return { RecordDetail: retried };
    const values = parameterValues(product, input.ProvisioningParameters);
    const now = nowSeconds();
    const ppId = `pp-${ctx.core.randomId(13)}`;
    const recordId = `rec-${ctx.core.randomId(13)}`;
    const record: Json = {
      RecordId: recordId,
      ProvisionedProductName: name,
      Status: 'IN_PROGRESS',
      CreatedTime: now,
      UpdatedTime: now,
      ProvisionedProductType: 'CFN_STACK',
      RecordType: 'PROVISION_PRODUCT',
      ProvisionedProductId: ppId,
      ProductId: product.Id,
      ProvisioningArtifactId: artifact.Id,
      RecordErrors: [],
      RecordTags: input.Tags ?? [],
    };
    ctx.account.records[recordId] = record;
    ctx.account.provisionedProducts[ppId] = {
      Id: ppId,
      Name: name,
      Arn: ctx.core.arn(
        'servicecatalog',
        ctx.account.id,
        `stack/${name}/${ppId}`,
      ),
      Type: 'CFN_STACK',
      Status: 'UNDER_CHANGE',
      CreatedTime: now,
      LastRecordId: recordId,
      ProductId: product.Id,
      ProvisioningArtifactId: artifact.Id,
      ProvisionToken: input.ProvisionToken,
      Tags: input.Tags ?? [],
    };
    ctx.core.schedule(2, PROVISIONING_TASK, {
      account: ctx.account.id,
      record: recordId,
      values,
    });
    ctx.core.changed();
    return { RecordDetail: record };
  },

  DescribeRecord(input, ctx) {
    const record = ctx.account.records[input.Id];
    if (!record) throw notFound(`Record ${input.Id}`);
    const { RecordOutputs = [], ...RecordDetail } = record;
    return { RecordDetail, RecordOutputs };
  },

  SearchProvisionedProducts(input, ctx) {
    const query: string[] = input.Filters?.SearchQuery ?? [];
    const found = Object.values(ctx.account.provisionedProducts).filter(p =>
      query.every(q =>
        `name:${p.Name} productId:${p.ProductId} status:${p.Status}`.includes(
          String(q),
        ),
      ),
    );
    const { page, NextToken } = paginate(found, {
      MaxResults: input.PageSize,
      NextToken: input.PageToken,
    });
    return {
      ProvisionedProducts: page.map(({ ProvisionToken: _t, ...p }) => p),
      TotalResultsCount: found.length,
      NextPageToken: NextToken,
    };
  },
};
