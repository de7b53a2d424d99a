import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PermissionApi } from '@backstage/plugin-permission-react';
import {
  DECISION_GATE_TABLE,
  DecisionGate,
  ModelSummary,
  PendingGate,
  REGISTRY_GATES,
} from '@ml-governance/plugin-ml-registry-common';
import { MlRegistryApi } from '../../api/MlRegistryApi';

/** A decision at a gate that a version waits for. */
export interface AwaitingDecision {
  gate: DecisionGate;
  arn: string;
  version: number;
  model: ModelSummary;
}

/** What awaits the signed-in user, and how many decisions wait for others at each gate. */
export interface AwaitingDecisions {
  mine: AwaitingDecision[];
  others: Partial<Record<DecisionGate, number>>;
}

/**
 * The models looked at for each gate: the list's routes answer per model, so
 * each model costs a request (and, for governance, a read of its pipeline).
 */
const MAX_MODELS = 100;
/** The newest approved central versions looked at per model for a governance decision. */
const GOVERNANCE_VERSIONS = 3;

async function versionsOf(
  api: MlRegistryApi,
  gate: DecisionGate,
  models: ModelSummary[],
  status: 'PendingManualApproval' | 'Approved',
  limit: number,
): Promise<AwaitingDecision[]> {
  const pages = await Promise.all(
    models.slice(0, MAX_MODELS).map(async model => {
      const page = await api.listVersions(model.accountId, model.groupName, {
        status,
        limit,
        sort: 'version',
        order: 'desc',
      });
      return page.items.map(v => ({
        gate,
        arn: v.arn,
        version: v.version,
        model,
      }));
    }),
  );
  return pages.flat();
}

async function permittedOnes(
  permissionApi: PermissionApi,
  candidates: AwaitingDecision[],
): Promise<boolean[]> {
  return Promise.all(
    candidates.map(
      async c =>
        (
          await permissionApi.authorize({
            permission: DECISION_GATE_TABLE[c.gate].permission,
            resourceRef: c.arn,
          })
        ).result === AuthorizeResult.ALLOW,
    ),
  );
}

/**
 * The versions waiting in a registry (dev or central) for their approval,
 * split by whether the signed-in user may decide them.
 */
async function atRegistryGates(
  api: MlRegistryApi,
  permissionApi: PermissionApi,
): Promise<AwaitingDecisions> {
  const result: AwaitingDecisions = { mine: [], others: {} };
  for (const { gate } of REGISTRY_GATES) {
    const { items } = await api.listModels({
      pendingGate: gate as PendingGate,
    });
    const candidates = await versionsOf(
      api,
      gate,
      items,
      'PendingManualApproval',
      20,
    );
    const permitted = await permittedOnes(permissionApi, candidates);
    result.mine.push(...candidates.filter((_, i) => permitted[i]));
    result.others[gate] = permitted.filter(p => !p).length;
  }
  return result;
}

/**
 * The central versions whose deploy pipeline waits at the governance
 * approval, for a user who may give it: the pipeline's state is read (from
 * AWS, by the backend) only for versions the user may decide.
 */
async function atGovernanceGate(
  api: MlRegistryApi,
  permissionApi: PermissionApi,
): Promise<AwaitingDecision[]> {
  const gate = 'governance-approval';
  const { items } = await api.listModels({
    stage: DECISION_GATE_TABLE[gate].stage,
    status: 'Approved',
  });
  const approved = await versionsOf(
    api,
    gate,
    items,
    'Approved',
    GOVERNANCE_VERSIONS,
  );
  const permitted = await permittedOnes(permissionApi, approved);
  const candidates = approved.filter((_, i) => permitted[i]);
  const waiting = await Promise.all(
    candidates.map(async c =>
      (
        await api.getGates(c.arn)
      ).gates.some(g => g.gate === gate && g.state === 'pending'),
    ),
  );
  return candidates.filter((_, i) => waiting[i]);
}

/**
 * Every decision the signed-in user may take now: dev approvals, central
 * approvals and governance approvals, with the permission the backend
 * checks on each version.
 */
export async function findAwaitingDecisions(
  api: MlRegistryApi,
  permissionApi: PermissionApi,
): Promise<AwaitingDecisions> {
  const [registry, governance] = await Promise.all([
    atRegistryGates(api, permissionApi),
    atGovernanceGate(api, permissionApi),
  ]);
  return { mine: [...registry.mine, ...governance], others: registry.others };
}
