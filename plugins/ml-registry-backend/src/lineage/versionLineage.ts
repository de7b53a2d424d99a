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

const accountName = (input: LineageInput, id: string) =>
  input.accounts.get(id)?.name ?? id;

function packageNode(
  input: LineageInput,
  v: ModelVersionRecord,
  kind: 'dev-package' | 'central-package',
): LineageNode {
  const account = input.accounts.get(v.accountId);
  return {
    id: v.arn,
    kind,
    label: `${v.groupName} v${v.version}`,
    detail: `${accountName(input, v.accountId)}: ${v.approvalStatus}`,
    ...(account
      ? { entityRef: modelEntityRef(account.name, v.groupName) }
      : {}),
    consoleUrl: modelPackageConsoleUrl(v.groupName, v.version, input.region),
  };
}

function dataNode(input: LineageInput, location: string): LineageNode {
  const url = dataConsoleUrl(location, input.region);
  return {
    id: `data:${location}`,
    kind: 'data',
    label: location,
    detail: 'Training data',
    entityRef: datasetEntityRef(location),
    ...(url ? { consoleUrl: url } : {}),
  };
}

/** The pipeline run that registered `origin`, linked to its project's System when the project is known. */
function pipelineRunNode(
  input: LineageInput,
  origin: ModelVersionRecord & { generatedBy: string },
): LineageNode {
  const project =
    origin.projectId &&
    input.projectNames.get(`${origin.accountId}/${origin.projectId}`);
  const account = input.accounts.get(origin.accountId);
  const url = pipelineRunConsoleUrl(origin.generatedBy, input.region);
  return {
    id: origin.generatedBy,
    kind: 'pipeline-run',
    label: origin.generatedBy.split(':pipeline/').pop()!,
    detail: `Pipeline run in ${accountName(input, origin.accountId)}${
      project ? `, project ${project}` : ''
    }`,
    ...(project && account
      ? { entityRef: projectEntityRef(account.name, project) }
      : {}),
    ...(url ? { consoleUrl: url } : {}),
  };
}

function endpointNode(input: LineageInput, d: Deployment): LineageNode {
  return {
    id: d.endpointArn,
    kind: 'endpoint',
    label: d.endpointName,
    detail: `${d.stage} endpoint in ${d.accountName}: ${d.status}`,
    entityRef: endpointEntityRef(d.accountName, d.endpointName),
    consoleUrl: endpointConsoleUrl(d.endpointName, input.region),
  };
}

/**
 * A version's lineage graph, data first, each node linked to the catalog
 * entity the ML registry makes of it and to its AWS console page. Entity refs
 * are named exactly as the catalog module names the entities, so a link only
 * breaks when the entity itself is gone. Without the dev version (not synced,
 * or its account not configured) the graph starts at the central copy, with
 * what the copy knows of its origin.
 */
export function versionLineage(input: LineageInput): Lineage {
  const { version } = input;
  const dev = input.source ?? (version.sourceArn ? undefined : version);
  const centrals = version.sourceArn ? [version] : input.promotedTo;
  const origin = dev ?? version;
  const nodes: LineageNode[] = [];
  const edges: Lineage['edges'] = [];
  // Each node of the chain data -> run -> dev package follows the one before it.
  let upstream: string | undefined;
  const chain = (node: LineageNode) => {
    nodes.push(node);
    if (upstream) edges.push({ from: upstream, to: node.id });
    upstream = node.id;
  };
  if (origin.trainingData) chain(dataNode(input, origin.trainingData));
  if (origin.generatedBy)
    chain(
      pipelineRunNode(input, { ...origin, generatedBy: origin.generatedBy }),
    );
  if (dev) chain(packageNode(input, dev, 'dev-package'));
  const last = upstream;
  for (const central of centrals) {
    nodes.push(packageNode(input, central, 'central-package'));
    if (last) edges.push({ from: last, to: central.arn });
  }
  for (const d of input.deployments) {
    nodes.push(endpointNode(input, d));
    if (nodes.some(n => n.id === d.modelPackageArn))
      edges.push({ from: d.modelPackageArn, to: d.endpointArn });
  }
  return { nodes, edges };
}
