import {
  Deployment,
  Lineage,
  LineageNode,
  MlAccount,
} from '@ml-governance/plugin-ml-registry-common';
import { ModelVersionRecord } from '../database/VersionStore';
import {
  datasetEntityRef,
  endpointEntityRef,
  modelEntityRef,
  projectEntityRef,
} from '../entities/entityRefs';
import {
  dataConsoleUrl,
  endpointConsoleUrl,
  modelPackageConsoleUrl,
  pipelineRunConsoleUrl,
} from './consoleUrls';

export interface LineageInput {
  version: ModelVersionRecord;
  /** The dev version a central one was promoted from. */
  source?: ModelVersionRecord;
  /** The central copies of a dev version. */
  promotedTo: ModelVersionRecord[];
  deployments: Deployment[];
  accounts: Map<string, MlAccount>;
  /** SageMaker project names by `<accountId>/<projectId>`, for the project's System entity. */
  projectNames: Map<string, string>;
  region: string;
}

/**
 * A version's lineage graph, data first, each node linked to the catalog
 * entity the ML registry makes of it and to its AWS console page. Entity refs
 * are named exactly as the catalog module names the entities, so a link only
 * breaks when the entity itself is gone.
 */
export function versionLineage(input: LineageInput): Lineage {
  const { version, accounts, region } = input;
  const dev = input.source ?? (version.sourceArn ? undefined : version);
  const centrals = version.sourceArn ? [version] : input.promotedTo;
  const nodes: LineageNode[] = [];
  const edges: Lineage['edges'] = [];
  const accountName = (id: string) => accounts.get(id)?.name ?? id;

  const packageNode = (
    v: ModelVersionRecord,
    kind: 'dev-package' | 'central-package',
  ): LineageNode => {
    const account = accounts.get(v.accountId);
    return {
      id: v.arn,
      kind,
      label: `${v.groupName} v${v.version}`,
      detail: `${accountName(v.accountId)}: ${v.approvalStatus}`,
      ...(account
        ? {
            entityRef: modelEntityRef(account.name, v.groupName),
          }
        : {}),
      consoleUrl: modelPackageConsoleUrl(v.groupName, v.version, region),
    };
  };

  // Without the dev version (not synced, or its account not configured) the
  // graph starts at the central copy, with what the copy knows of its origin.
  const origin = dev ?? version;
  let upstream: string | undefined;
  if (origin.trainingData) {
    const url = dataConsoleUrl(origin.trainingData, region);
    nodes.push({
      id: `data:${origin.trainingData}`,
      kind: 'data',
      label: origin.trainingData,
      detail: 'Training data',
      entityRef: datasetEntityRef(origin.trainingData),
      ...(url ? { consoleUrl: url } : {}),
    });
    upstream = nodes[0].id;
  }
  if (origin.generatedBy) {
    const project =
      origin.projectId &&
      input.projectNames.get(`${origin.accountId}/${origin.projectId}`);
    const account = accounts.get(origin.accountId);
    const url = pipelineRunConsoleUrl(origin.generatedBy, region);
    nodes.push({
      id: origin.generatedBy,
      kind: 'pipeline-run',
      label: origin.generatedBy.split(':pipeline/').pop()!,
      detail: `Pipeline run in ${accountName(origin.accountId)}${
        project ? `, project ${project}` : ''
      }`,
      ...(project && account
        ? { entityRef: projectEntityRef(account.name, project) }
        : {}),
      ...(url ? { consoleUrl: url } : {}),
    });
    if (upstream) edges.push({ from: upstream, to: origin.generatedBy });
    upstream = origin.generatedBy;
  }
  if (dev) {
    nodes.push(packageNode(dev, 'dev-package'));
    if (upstream) edges.push({ from: upstream, to: dev.arn });
    upstream = dev.arn;
  }
  for (const central of centrals) {
    nodes.push(packageNode(central, 'central-package'));
    if (upstream) edges.push({ from: upstream, to: central.arn });
  }
  for (const d of input.deployments) {
    const id = d.endpointArn;
    nodes.push({
      id,
      kind: 'endpoint',
      label: d.endpointName,
      detail: `${d.stage} endpoint in ${d.accountName}: ${d.status}`,
      entityRef: endpointEntityRef(d.accountName, d.endpointName),
      consoleUrl: endpointConsoleUrl(d.endpointName, region),
    });
    if (nodes.some(n => n.id === d.modelPackageArn))
      edges.push({ from: d.modelPackageArn, to: id });
  }
  return { nodes, edges };
}
