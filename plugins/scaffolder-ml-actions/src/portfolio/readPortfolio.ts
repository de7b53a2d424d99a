import {
  DescribeProductCommand,
  DescribeProvisioningParametersCommand,
  ListPortfoliosCommand,
  PortfolioDetail,
  ProductViewSummary,
  ProvisioningArtifact,
  ProvisioningArtifactParameter,
  SearchProductsAsAdminCommand,
  ServiceCatalogClient,
} from '@aws-sdk/client-service-catalog';
import { InputError } from '@backstage/errors';

/** One product of a portfolio, at the version its template provisions. */
export interface PortfolioProduct {
  id: string;
  name: string;
  description?: string;
  owner?: string;
  /** The newest version: its parameters are the template's. */
  artifact: { id: string; name?: string };
  parameters: ProvisioningArtifactParameter[];
}

/** @public */
export interface Portfolio {
  id: string;
  name: string;
  description?: string;
  products: PortfolioProduct[];
}

async function allPages<T>(
  page: (token?: string) => Promise<{ items?: T[]; next?: string }>,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const result = await page(token);
    items.push(...(result.items ?? []));
    token = result.next;
  } while (token);
  return items;
}

/** Newest first by creation time; the listed order breaks ties, as the console shows it. */
function newestArtifact(
  artifacts: ProvisioningArtifact[],
): ProvisioningArtifact | undefined {
  return artifacts
    .map((artifact, index) => ({ artifact, index }))
    .sort(
      (a, b) =>
        (b.artifact.CreatedTime?.getTime() ?? 0) -
          (a.artifact.CreatedTime?.getTime() ?? 0) || b.index - a.index,
    )[0]?.artifact;
}

/** The one portfolio of that id or display name; none or several is the caller's mistake, named. */
async function findPortfolio(
  catalog: ServiceCatalogClient,
  portfolio: string,
): Promise<PortfolioDetail> {
  const portfolios = await allPages<PortfolioDetail>(async PageToken => {
    const r = await catalog.send(new ListPortfoliosCommand({ PageToken }));
    return { items: r.PortfolioDetails, next: r.NextPageToken };
  });
  const matches = portfolios.filter(
    p => p.Id === portfolio || p.DisplayName === portfolio,
  );
  if (matches.length === 0) {
    const known =
      portfolios.map(p => `'${p.DisplayName}' (${p.Id})`).join(', ') || 'none';
    throw new InputError(
      `No portfolio '${portfolio}' in this account; its portfolios are: ${known}`,
    );
  }
  if (matches.length > 1) {
    throw new InputError(
      `Several portfolios are named '${portfolio}' (${matches
        .map(p => p.Id)
        .join(', ')}); name one by id`,
    );
  }
  return matches[0];
}

/** A product of the portfolio at its newest version, with that version's parameters. */
async function readProduct(
  catalog: ServiceCatalogClient,
  summary: ProductViewSummary,
): Promise<PortfolioProduct> {
  const productId = summary.ProductId!;
  const { ProvisioningArtifacts = [] } = await catalog.send(
    new DescribeProductCommand({ Id: productId }),
  );
  const artifact = newestArtifact(ProvisioningArtifacts);
  if (!artifact?.Id)
    throw new InputError(
      `Product '${summary.Name}' (${productId}) has no active version to provision`,
    );
  const { ProvisioningArtifactParameters = [] } = await catalog.send(
    new DescribeProvisioningParametersCommand({
      ProductId: productId,
      ProvisioningArtifactId: artifact.Id,
    }),
  );
  return {
    id: productId,
    name: summary.Name ?? productId,
    description: summary.ShortDescription,
    owner: summary.Owner,
    artifact: { id: artifact.Id, name: artifact.Name },
    parameters: ProvisioningArtifactParameters,
  };
}

/**
 * Reads a Service Catalog portfolio, by id or display name, with each product's
 * newest version and that version's provisioning parameters: ListPortfolios,
 * SearchProductsAsAdmin (the search that narrows to a portfolio),
 * DescribeProduct and DescribeProvisioningParameters. Everything is read
 * before anything is returned, so a failure part way leaves nothing half-read.
 */
export async function readPortfolio(
  catalog: ServiceCatalogClient,
  portfolio: string,
): Promise<Portfolio> {
  const { Id, DisplayName, Description } = await findPortfolio(
    catalog,
    portfolio,
  );
  const views = await allPages(async PageToken => {
    const r = await catalog.send(
      new SearchProductsAsAdminCommand({ PortfolioId: Id, PageToken }),
    );
    return { items: r.ProductViewDetails, next: r.NextPageToken };
  });
  const products: PortfolioProduct[] = [];
  for (const view of views) {
    products.push(await readProduct(catalog, view.ProductViewSummary!));
  }
  return {
    id: Id!,
    name: DisplayName ?? Id!,
    description: Description,
    products,
  };
}
