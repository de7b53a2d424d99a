import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { ServiceCatalogClient } from '@aws-sdk/client-service-catalog';
import { Entity } from '@backstage/catalog-model';
import { ConflictError } from '@backstage/errors';
import yaml from 'yaml';
import { productTemplate, slug } from './productTemplate';
import { readPortfolio } from './readPortfolio';

/** A file the command writes, relative to its output folder. */
export interface TemplateFile {
  path: string;
  entity: Entity;
  text: string;
}

const HEADER = (portfolio: string) =>
  `# Written by yarn portfolio:templates from the Service Catalog portfolio '${portfolio}'.\n` +
  '# Run it again to follow the portfolio; it refuses to overwrite a file edited since.\n';

/**
 * One template per product of a Service Catalog portfolio, and a Location
 * entity that registers them all, so moving a portfolio to the Create page
 * takes one catalog location.
 *
 * @public
 */
export async function portfolioTemplates(options: {
  catalog: ServiceCatalogClient;
  portfolio: string;
  /** The account holding the portfolio, by its name under mlRegistry.accounts. */
  account: string;
  owner: string;
  /** Who sees and runs the templates, as an audience of mlRegistry.templateAccess. */
  audience?: string;
}): Promise<TemplateFile[]> {
  const portfolio = await readPortfolio(options.catalog, options.portfolio);
  const templates = portfolio.products.map(product => {
    const entity = productTemplate(portfolio, product, options);
    return { path: `${entity.metadata.name}/template.yaml`, entity };
  });
  const names = new Set<string>();
  for (const t of templates) {
    if (names.has(t.entity.metadata.name)) {
      throw new ConflictError(
        `Two products of '${portfolio.name}' make the template name ${t.entity.metadata.name}; rename one of them`,
      );
    }
    names.add(t.entity.metadata.name);
  }
  const location: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: {
      name: slug(`service-catalog-${portfolio.name}`),
      description: `The templates of the Service Catalog portfolio '${portfolio.name}' (${portfolio.id})`,
    },
    spec: { targets: templates.map(t => `./${t.path}`) },
  };
  return [...templates, { path: 'catalog-info.yaml', entity: location }].map(
    f => ({
      ...f,
      text: `${HEADER(portfolio.name)}${yaml.stringify(f.entity, {
        lineWidth: 0,
      })}`,
    }),
  );
}

/**
 * Writes the files under `dir`. A file that exists with other content (edited
 * by hand, or from another portfolio) is refused unless `force`, and then
 * nothing is written; each file is written whole (temporary file, rename).
 * Returns what happened to each file.
 *
 * @public
 */
export function writeTemplateFiles(
  dir: string,
  files: TemplateFile[],
  options: { force?: boolean } = {},
) {
  const plan = files.map(f => {
    const target = path.join(dir, f.path);
    if (!existsSync(target)) return { ...f, target, status: 'created' };
    return {
      ...f,
      target,
      status: readFileSync(target, 'utf8') === f.text ? 'unchanged' : 'changed',
    };
  });
  const changed = plan.filter(f => f.status === 'changed');
  if (changed.length && !options.force) {
    throw new ConflictError(
      `These files differ from what the portfolio gives and were left as they are (use --force to overwrite): ${changed
        .map(f => f.target)
        .join(', ')}`,
    );
  }
  for (const f of plan.filter(p => p.status !== 'unchanged')) {
    mkdirSync(path.dirname(f.target), { recursive: true });
    writeFileSync(`${f.target}.tmp`, f.text);
    renameSync(`${f.target}.tmp`, f.target);
  }
  return plan.map(f => ({
    path: f.target,
    status: f.status === 'changed' ? 'overwritten' : f.status,
  }));
}
