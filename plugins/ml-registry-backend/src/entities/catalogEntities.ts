import { createHash } from 'node:crypto';
import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_ACCOUNT_STAGE,
  ANNOTATION_AWS_ARN,
  MlAccount,
} from '@ml-governance/plugin-ml-registry-common';
import { EndpointRecord } from '../database/EndpointStore';
import { ModelGroupRecord } from '../database/VersionStore';

/** Where the catalog says these entities come from. */
export const LOCATION = 'ml-registry:aws';

/**
 * A valid, stable entity name for a group in an account. Account names are
 * unique, so names cannot collide across accounts; names past 63 characters
 * are shortened with a hash of the whole.
 */
export function modelEntityName(accountName: string, groupName: string): string {
  const name = `${accountName}--${groupName}`;
  if (name.length <= 63) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, 54).replace(/[-_.]+$/, '')}-${hash}`;
}

export interface ModelEntityInput {
  groups: ModelGroupRecord[];
  endpoints: EndpointRecord[];
  /** For each central group ARN, the dev groups its versions were promoted from. */
  sources: Map<string, { accountId: string; groupName: string }[]>;
  accounts: MlAccount[];
  defaultOwner: string;
}

const PACKAGE_ARN = /^arn:aws[a-z-]*:sagemaker:[^:]+:(\d{12}):model-package\/([^/]+)\/\d+$/;

function annotations(arn: string, account: MlAccount) {
  return {
    [ANNOTATION_AWS_ARN]: arn,
    [ANNOTATION_ACCOUNT_ID]: account.accountId,
    [ANNOTATION_ACCOUNT_STAGE]: account.stage,
    'backstage.io/managed-by-location': LOCATION,
    'backstage.io/managed-by-origin-location': LOCATION,
  };
}

/**
 * The catalog entities of the ML platform: a `Resource` of type `ai-model` per
 * model package group per account, a central model depending on the dev models
 * it was promoted from (so the catalog graph shows lineage), and a `Component`
 * of type `model-server` per endpoint, depending on the model it serves. Owners
 * come from the account's team, and an endpoint's from its model.
 */
export function catalogEntities(input: ModelEntityInput): Entity[] {
  const models = modelEntities(input);
  const owners = new Map(models.map(m => [`resource:default/${m.metadata.name}`, String(m.spec?.owner)]));
  const accounts = new Map(input.accounts.map(a => [a.accountId, a]));
  const endpoints = input.endpoints.flatMap(endpoint => {
    const account = accounts.get(endpoint.accountId);
    if (!account) return [];
    const served = endpoint.modelPackageArn?.match(PACKAGE_ARN);
    const modelAccount = served ? accounts.get(served[1]) : undefined;
    const modelRef = served && modelAccount ? `resource:default/${modelEntityName(modelAccount.name, served[2])}` : undefined;
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: modelEntityName(account.name, endpoint.name),
        title: `${endpoint.name} (${account.name})`,
        annotations: {
          ...annotations(endpoint.arn, account),
          ...(endpoint.modelPackageArn ? { 'ml-governance.io/model-package-arn': endpoint.modelPackageArn } : {}),
        },
        tags: [`${account.stage}-endpoint`],
      },
      spec: {
        type: 'model-server',
        lifecycle: account.stage === 'prod' ? 'production' : 'experimental',
        owner: (modelRef && owners.get(modelRef)) ?? account.team ?? input.defaultOwner,
        ...(modelRef && owners.has(modelRef) ? { dependsOn: [modelRef] } : {}),
      },
    };
    return [entity];
  });
  return [...models, ...endpoints];
}

function modelEntities(input: ModelEntityInput): Entity[] {
  const accounts = new Map(input.accounts.map(a => [a.accountId, a]));
  const ref = (accountId: string, groupName: string) => {
    const account = accounts.get(accountId);
    return account ? `resource:default/${modelEntityName(account.name, groupName)}` : undefined;
  };
  return input.groups.flatMap(group => {
    const account = accounts.get(group.accountId);
    if (!account) return [];
    const sources = input.sources.get(group.arn) ?? [];
    const sourceRefs = [...new Set(sources.map(s => ref(s.accountId, s.groupName)).filter((r): r is string => !!r))];
    const sourceTeam = sources.map(s => accounts.get(s.accountId)?.team).find(Boolean);
    return [{
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: modelEntityName(account.name, group.name),
        title: `${group.name} (${account.name})`,
        ...(group.description ? { description: group.description } : {}),
        annotations: annotations(group.arn, account),
        tags: [account.stage === 'shared-services' ? 'central-registry' : `${account.stage}-registry`],
      },
      spec: {
        type: 'ai-model',
        owner: account.team ?? sourceTeam ?? input.defaultOwner,
        ...(sourceRefs.length ? { dependsOn: sourceRefs } : {}),
      },
    }];
  });
}
