import {
  DEFAULT_NAMESPACE,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  datasetEntityName,
  entityName,
  modelEntityName,
} from '@ml-governance/plugin-ml-registry-node';

const ref = (kind: string, name: string) =>
  stringifyEntityRef({ kind, namespace: DEFAULT_NAMESPACE, name });

/** The catalog Resource of a model: one model package group of one account. */
export const modelEntityRef = (accountName: string, groupName: string) =>
  ref('resource', modelEntityName(accountName, groupName));

/** The catalog Resource of a training data location. */
export const datasetEntityRef = (location: string) =>
  ref('resource', datasetEntityName(location));

/** The catalog System of a SageMaker project of one account. */
export const projectEntityRef = (accountName: string, projectName: string) =>
  ref('system', entityName(accountName, projectName));

/** The catalog Component of an endpoint of one account. */
export const endpointEntityRef = (accountName: string, endpointName: string) =>
  ref('component', entityName(accountName, endpointName));
