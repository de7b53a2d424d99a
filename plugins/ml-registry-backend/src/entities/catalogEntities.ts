import { Entity, parseEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_ACCOUNT_STAGE,
  ANNOTATION_AWS_ARN,
  ANNOTATION_DATA_SOURCE,
  ANNOTATION_LATEST_APPROVED_VERSION,
  ANNOTATION_LATEST_VERSION,
  ANNOTATION_MODEL_PACKAGE_ARN,
  MlAccount,
  parseModelPackageArn,
  parseResourceArn,
} from '@ml-governance/plugin-ml-registry-common';
import {
  datasetEntityName,
  entityName,
  modelEntityName,
  ModelOwnerResolver,
} from '@ml-governance/plugin-ml-registry-node';
import { EndpointRecord, EndpointStore } from '../database/EndpointStore';
import {
  datasetEntityRef,
  modelEntityRef,
  projectEntityRef,
} from './entityRefs';
import {
  AccountResourceRecord,
  ResourceStore,
} from '../database/ResourceStore';
import { GroupSummary, VersionStore } from '../database/VersionStore';

/** Where the catalog says these entities come from. */
export const LOCATION = 'ml-registry:aws';

/** s3, athena, datazone or feature-group. */
function dataSourceType(location: string): string {
  if (parseResourceArn(location, 'sagemaker', 'feature-group'))
    return 'feature-group';
  return (
    location
      .split(':')[0]
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '') || 'unknown'
  );
}

export interface CatalogInput {
  groups: GroupSummary[];
  endpoints: EndpointRecord[];
  resources: AccountResourceRecord[];
  /** For each central group ARN, the dev groups its versions were promoted from. */
  sources: Map<string, { accountId: string; groupName: string }[]>;
  accounts: MlAccount[];
  defaultOwner: string;
  /** Each model's owner by its group ARN, where a resolver of the organisation's said; else the suite's derivation (modelOwner). */
  modelOwners?: Map<string, string>;
}

/**
 * The owner of a model: its account's team, else the team of the dev account
 * its versions were promoted from, else the default owner.
 */
export function modelOwner(
  account: MlAccount,
  sources: { accountId: string }[],
  accounts: Map<string, MlAccount>,
  defaultOwner: string,
): string {
  return (
    account.team ??
    sources.map(s => accounts.get(s.accountId)?.team).find(Boolean) ??
    defaultOwner
  );
}

function annotations(
  arn: string,
  account: MlAccount,
  extra: Record<string, string | undefined> = {},
) {
  return {
    [ANNOTATION_AWS_ARN]: arn,
    [ANNOTATION_ACCOUNT_ID]: account.accountId,
    [ANNOTATION_ACCOUNT_STAGE]: account.stage,
    'backstage.io/managed-by-location': LOCATION,
    'backstage.io/managed-by-origin-location': LOCATION,
    ...Object.fromEntries(
      Object.entries(extra).filter(
        (e): e is [string, string] => e[1] !== undefined,
      ),
    ),
  };
}

/** What the entities are made from, and what the models tell the endpoints and datasets made after them. */
interface Catalog {
  input: CatalogInput;
  accounts: Map<string, MlAccount>;
  /** Projects by `<accountId>/<projectId>`. */
  projects: Map<string, AccountResourceRecord>;
  systemOf: Map<string, string>;
  ownerOf: Map<string, string>;
  /** Each training data location, with the owners of the models trained on it. */
  datasets: Map<string, Set<string>>;
}

const modelRef = (catalog: Catalog, accountId: string, groupName: string) => {
  const account = catalog.accounts.get(accountId);
  return account ? modelEntityRef(account.name, groupName) : undefined;
};

/**
 * What a model links to: the dev models it was promoted from, its system
 * (its project's, else its sources'), its owner and its datasets; remembered
 * for the endpoints and datasets.
 */
function modelLinks(catalog: Catalog, group: GroupSummary, account: MlAccount) {
  const { input } = catalog;
  const ref = modelRef(catalog, group.accountId, group.name)!;
  const sources = input.sources.get(group.arn) ?? [];
  const sourceRefs = [
    ...new Set(
      sources
        .map(s => modelRef(catalog, s.accountId, s.groupName))
        .filter((r): r is string => !!r),
    ),
  ];
  const project = group.projectId
    ? catalog.projects.get(`${group.accountId}/${group.projectId}`)
    : undefined;
  const system = project
    ? projectEntityRef(account.name, project.name)
    : sourceRefs.map(r => catalog.systemOf.get(r)).find(Boolean);
  const owner =
    input.modelOwners?.get(group.arn) ??
    modelOwner(account, sources, catalog.accounts, input.defaultOwner);
  if (system) catalog.systemOf.set(ref, system);
  catalog.ownerOf.set(ref, owner);
  const datasetRefs = group.trainingData.map(location => {
    const users = catalog.datasets.get(location) ?? new Set<string>();
    users.add(owner);
    catalog.datasets.set(location, users);
    return datasetEntityRef(location);
  });
  return { system, owner, dependsOn: [...sourceRefs, ...datasetRefs] };
}

function modelEntity(catalog: Catalog, group: GroupSummary): Entity[] {
  const account = catalog.accounts.get(group.accountId);
  if (!account) return [];
  // A central group is made by the promotion of its first version: empty, it is
  // what a failed promotion left (its retry reuses it), not a model yet.
  if (account.stage === 'shared-services' && group.latestVersion === undefined)
    return [];
  const { system, owner, dependsOn } = modelLinks(catalog, group, account);
  return [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: modelEntityName(account.name, group.name),
        title: `${group.name} (${account.name})`,
        ...(group.description ? { description: group.description } : {}),
        annotations: annotations(group.arn, account, {
          [ANNOTATION_LATEST_VERSION]: group.latestVersion?.toString(),
          [ANNOTATION_LATEST_APPROVED_VERSION]:
            group.latestApprovedVersion?.toString(),
        }),
        tags: [
          account.stage === 'shared-services'
            ? 'central-registry'
            : `${account.stage}-registry`,
        ],
      },
      spec: {
        type: 'ai-model',
        owner,
        ...(system ? { system } : {}),
        ...(dependsOn.length ? { dependsOn } : {}),
      },
    },
  ];
}

function endpointEntity(catalog: Catalog, endpoint: EndpointRecord): Entity[] {
  const account = catalog.accounts.get(endpoint.accountId);
  if (!account) return [];
  const served =
    endpoint.modelPackageArn && parseModelPackageArn(endpoint.modelPackageArn);
  const ref = served
    ? modelRef(catalog, served.accountId, served.group)
    : undefined;
  const known = ref && catalog.ownerOf.has(ref) ? ref : undefined;
  const system = known && catalog.systemOf.get(known);
  return [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: entityName(account.name, endpoint.name),
        title: `${endpoint.name} (${account.name})`,
        annotations: annotations(endpoint.arn, account, {
          [ANNOTATION_MODEL_PACKAGE_ARN]: endpoint.modelPackageArn,
        }),
        tags: [`${account.stage}-endpoint`],
      },
      spec: {
        type: 'model-server',
        lifecycle: account.stage === 'prod' ? 'production' : 'experimental',
        owner:
          (known && catalog.ownerOf.get(known)) ??
          account.team ??
          catalog.input.defaultOwner,
        ...(system ? { system } : {}),
        ...(known ? { dependsOn: [known] } : {}),
      },
    },
  ];
}

function studioEntity(
  catalog: Catalog,
  resource: AccountResourceRecord,
): Entity[] {
  const account = catalog.accounts.get(resource.accountId);
  if (!account) return [];
  const owner = account.team ?? catalog.input.defaultOwner;
  const common = {
    title: `${resource.name} (${account.name})`,
    ...(resource.description ? { description: resource.description } : {}),
    annotations: annotations(resource.arn, account),
  };
  return resource.kind === 'project'
    ? [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'System',
          metadata: {
            name: entityName(account.name, resource.name),
            ...common,
            tags: ['sagemaker-project'],
          },
          spec: { owner },
        },
      ]
    : [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Resource',
          metadata: {
            name: entityName(account.name, `domain-${resource.name}`),
            ...common,
          },
          spec: { type: 'sagemaker-domain', owner },
        },
      ];
}

/** Governed data belongs to data governance; data only one team uses, to that team. */
function datasetEntity(
  catalog: Catalog,
  location: string,
  users: Set<string>,
): Entity {
  const { accounts, input } = catalog;
  const account = location.match(/:(\d{12}):|^athena:\/\/(\d{12})\//);
  const home = account ? accounts.get(account[1] ?? account[2]) : undefined;
  const governance = input.accounts.find(a => a.stage === 'governance');
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: datasetEntityName(location),
      title: location,
      annotations: {
        [ANNOTATION_DATA_SOURCE]: location,
        ...(home
          ? {
              [ANNOTATION_ACCOUNT_ID]: home.accountId,
              [ANNOTATION_ACCOUNT_STAGE]: home.stage,
            }
          : {}),
        'backstage.io/managed-by-location': LOCATION,
        'backstage.io/managed-by-origin-location': LOCATION,
      },
      tags: [dataSourceType(location)],
    },
    spec: {
      type: 'dataset',
      owner:
        home?.team ??
        (home?.stage === 'governance' || users.size !== 1
          ? governance?.team ?? input.defaultOwner
          : [...users][0]),
    },
  };
}

/**
 * The catalog entities of the ML platform, so people find models, their
 * projects, data and endpoints where they find all their software:
 * - a `System` per SageMaker project, which its models and their endpoints belong to;
 * - a `Resource` of type `ai-model` per model package group per account (a
 *   central group once it has a version), a central model depending on the
 *   dev models it was promoted from and every model on its training datasets,
 *   so the catalog graph shows lineage;
 * - a `Resource` of type `dataset` per training data location;
 * - a `Resource` of type `sagemaker-domain` per Studio domain;
 * - a `Component` of type `model-server` per endpoint, depending on its model.
 * Owners come from the account's team; an endpoint's from its model.
 */
export function catalogEntities(input: CatalogInput): Entity[] {
  const catalog: Catalog = {
    input,
    accounts: new Map(input.accounts.map(a => [a.accountId, a])),
    projects: new Map(
      input.resources
        .filter(r => r.kind === 'project')
        .map(r => [`${r.accountId}/${r.resourceId}`, r]),
    ),
    systemOf: new Map(),
    ownerOf: new Map(),
    datasets: new Map(),
  };
  // Dev models first: central ones take their system from the dev model they came from.
  const ordered = [...input.groups].sort(
    (a, b) =>
      Number(input.sources.has(a.arn)) - Number(input.sources.has(b.arn)),
  );
  const models = ordered.flatMap(group => modelEntity(catalog, group));
  const endpoints = input.endpoints.flatMap(e => endpointEntity(catalog, e));
  const studio = input.resources.flatMap(r => studioEntity(catalog, r));
  const datasets = [...catalog.datasets].map(([location, users]) =>
    datasetEntity(catalog, location, users),
  );
  return [...studio, ...models, ...datasets, ...endpoints];
}

/** An owner a resolver gave, refused naming the model when it is not a user or group entity ref. */
function checkOwner(owner: unknown, group: GroupSummary): string {
  let kind: string | undefined;
  try {
    kind = parseEntityRef(String(owner), { defaultKind: 'group' }).kind;
  } catch {
    kind = undefined;
  }
  if (typeof owner !== 'string' || !['user', 'group'].includes(kind ?? '')) {
    throw new Error(
      `The model owner resolver gave ${JSON.stringify(owner)} for ${
        group.arn
      }: not a user or group entity ref such as group:default/fraud-ds`,
    );
  }
  return owner;
}

/** Each model's owner as `resolver` says, given the suite's derivation. */
async function resolveModelOwners(
  resolver: ModelOwnerResolver,
  groups: GroupSummary[],
  sources: CatalogInput['sources'],
  options: Pick<CatalogInput, 'accounts' | 'defaultOwner'>,
): Promise<Map<string, string>> {
  const accounts = new Map(options.accounts.map(a => [a.accountId, a]));
  const owners = new Map<string, string>();
  for (const group of groups) {
    const account = accounts.get(group.accountId);
    if (!account) continue;
    const from = sources.get(group.arn) ?? [];
    const { arn, name, description, projectId } = group;
    const owner = await resolver.ownerOf({
      model: { arn, name, description, projectId },
      account,
      sourceAccounts: from
        .map(s => accounts.get(s.accountId))
        .filter((a): a is MlAccount => !!a),
      derivedOwner: modelOwner(account, from, accounts, options.defaultOwner),
    });
    owners.set(arn, checkOwner(owner, group));
  }
  return owners;
}

/** The catalog entities of what the stores hold now, each model's owner as `modelOwner` resolves it. */
export async function storedCatalogEntities(
  stores: {
    versions: VersionStore;
    endpoints: EndpointStore;
    resources: ResourceStore;
  },
  options: Pick<CatalogInput, 'accounts' | 'defaultOwner'> & {
    modelOwner: ModelOwnerResolver;
  },
): Promise<Entity[]> {
  const { versions, endpoints, resources } = stores;
  const { accounts, defaultOwner } = options;
  const groups = await versions.groupSummaries();
  const sources = await versions.promotionSources();
  return catalogEntities({
    accounts,
    defaultOwner,
    groups,
    sources,
    modelOwners: await resolveModelOwners(
      options.modelOwner,
      groups,
      sources,
      options,
    ),
    endpoints: await endpoints.listEndpoints(),
    resources: await resources.list(),
  });
}
