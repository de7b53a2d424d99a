import { ProvisioningArtifactParameter } from '@aws-sdk/client-service-catalog';
import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_TEMPLATE_AUDIENCE,
  ML_ANNOTATION_PREFIX,
} from '@ml-governance/plugin-ml-registry-common';
import { Portfolio, PortfolioProduct } from './readPortfolio';

/** @public */
export const ANNOTATION_SERVICE_CATALOG_PRODUCT = `${ML_ANNOTATION_PREFIX}/service-catalog-product`;
/** @public */
export const ANNOTATION_SERVICE_CATALOG_PORTFOLIO = `${ML_ANNOTATION_PREFIX}/service-catalog-portfolio`;

/** An entity-name-safe slug: lower case, dashes, at most `max` characters. */
export function slug(text: string, max = 63): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, max)
      .replace(/-+$/, '') || 'product'
  );
}

const NUMBER = '^-?[0-9]+(\\.[0-9]+)?$';

/**
 * The form field for one CloudFormation parameter. Every value is a string,
 * as Service Catalog takes them; a NoEcho parameter becomes a Secret field,
 * whose value the scaffolder keeps out of the task's parameters and logs.
 */
function field(
  parameter: ProvisioningArtifactParameter,
): Record<string, unknown> {
  const c = parameter.ParameterConstraints ?? {};
  const type = parameter.ParameterType ?? 'String';
  const hints = [
    parameter.Description,
    type !== 'String'
      ? `(${type}${/List/.test(type) ? ', comma-separated' : ''})`
      : undefined,
  ];
  return Object.fromEntries(
    Object.entries({
      title: parameter.ParameterKey,
      description: hints.filter(Boolean).join(' ') || undefined,
      type: 'string',
      default: parameter.IsNoEcho ? undefined : parameter.DefaultValue,
      enum: c.AllowedValues?.length ? c.AllowedValues : undefined,
      pattern: c.AllowedPattern ?? (type === 'Number' ? NUMBER : undefined),
      minLength: c.MinLength ? Number(c.MinLength) : undefined,
      maxLength: c.MaxLength ? Number(c.MaxLength) : undefined,
      'ui:help': c.ConstraintDescription,
      'ui:field': parameter.IsNoEcho ? 'Secret' : undefined,
    }).filter(([, v]) => v !== undefined),
  );
}

/** The template's metadata: a name from the portfolio's and product's, and where it came from. */
function templateMetadata(
  portfolio: Portfolio,
  product: PortfolioProduct,
  options: { account: string; audience?: string },
) {
  return {
    name: slug(`sc-${slug(portfolio.name, 20)}-${slug(product.name)}`),
    title: product.name,
    description: `${
      product.description ? `${product.description}. ` : ''
    }Provisions the Service Catalog product ${product.id} (version ${
      product.artifact.name ?? product.artifact.id
    }) of the '${portfolio.name}' portfolio in ${options.account}.`,
    tags: ['service-catalog', slug(portfolio.name)],
    annotations: {
      [ANNOTATION_SERVICE_CATALOG_PORTFOLIO]: portfolio.id,
      [ANNOTATION_SERVICE_CATALOG_PRODUCT]: `${product.id}/${product.artifact.id}`,
      ...(options.audience
        ? { [ANNOTATION_TEMPLATE_AUDIENCE]: options.audience }
        : {}),
    },
  };
}

/** The form: the provisioned product's name, then one field a product parameter. */
function templateForm(
  product: PortfolioProduct,
  parameters: ProvisioningArtifactParameter[],
) {
  const required = parameters
    .filter(p => p.DefaultValue === undefined || p.IsNoEcho)
    .map(p => p.ParameterKey!);
  return {
    title: product.name,
    required: ['provisionedProductName', ...required],
    properties: {
      provisionedProductName: {
        title: 'Name',
        description:
          'The name of what is provisioned; running the template again with this name reuses it',
        type: 'string',
        pattern: '^[a-zA-Z0-9][a-zA-Z0-9._-]{0,127}$',
      },
      ...Object.fromEntries(parameters.map(p => [p.ParameterKey!, field(p)])),
    },
  };
}

/** The provision step, passing each parameter from the form (a secret from the task's secrets). */
function provisionStep(
  product: PortfolioProduct,
  parameters: ProvisioningArtifactParameter[],
  account: string,
) {
  const value = (p: ProvisioningArtifactParameter) =>
    `\${{ ${p.IsNoEcho ? 'secrets' : 'parameters'}.${p.ParameterKey} }}`;
  return {
    id: 'provision',
    name: `Provision ${product.name}`,
    action: 'servicecatalog:product:provision',
    input: {
      account,
      productId: product.id,
      provisioningArtifactId: product.artifact.id,
      provisionedProductName: '${{ parameters.provisionedProductName }}',
      ...(parameters.length
        ? {
            parameters: Object.fromEntries(
              parameters.map(p => [p.ParameterKey!, value(p)]),
            ),
          }
        : {}),
    },
  };
}

/**
 * A Scaffolder template that provisions one portfolio product, at the version
 * its parameters were read from, with `servicecatalog:product:provision` in
 * `account` (a name under `mlRegistry.accounts`), for `audience` when given
 * (who sees and runs it, under the ML governance permission policy).
 */
export function productTemplate(
  portfolio: Portfolio,
  product: PortfolioProduct,
  options: { account: string; owner: string; audience?: string },
): Entity {
  const parameters = product.parameters.filter(p => p.ParameterKey);
  const clash = parameters.find(
    p => p.ParameterKey === 'provisionedProductName',
  );
  if (clash)
    throw new Error(
      `Product '${product.name}' has a parameter named ${clash.ParameterKey}, which the template uses for the provisioned product's name`,
    );
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: templateMetadata(portfolio, product, options),
    spec: {
      owner: options.owner,
      type: 'service-catalog-product',
      parameters: [templateForm(product, parameters)],
      steps: [provisionStep(product, parameters, options.account)],
      output: {
        text: [
          {
            title: 'Provisioned',
            content:
              '${{ parameters.provisionedProductName }} is provisioned (record ${{ steps.provision.output.recordId }}). Outputs: ${{ steps.provision.output.outputs | dump }}',
          },
        ],
      },
    },
  };
}
