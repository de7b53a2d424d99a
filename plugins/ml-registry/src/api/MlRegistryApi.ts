import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  AccountsResponse,
  AuditPage,
  DecisionGate,
  GateDecisionRequest,
  GateRetryRequest,
  ModelsFilter,
  ModelsResponse,
  VersionComparison,
  VersionDetails,
  VersionGates,
  VersionsPage,
  VersionsQuery,
} from '@ml-governance/plugin-ml-registry-common';

export type { ModelsFilter, VersionsQuery };

/** A decision at a gate, as the signed-in user. @public */
export type GateDecision = GateDecisionRequest;

/**
 * The ML registry backend's REST API, as the frontend sees it: one method per
 * operation a user calls (not `GET /entities`, for services), typed by the
 * types generated from the OpenAPI document.
 *
 * @public
 */
export interface MlRegistryApi {
  listAccounts(): Promise<AccountsResponse>;
  listModels(filter?: ModelsFilter): Promise<ModelsResponse>;
  listVersions(
    accountId: string,
    groupName: string,
    query?: VersionsQuery,
  ): Promise<VersionsPage>;
  getVersion(arn: string): Promise<VersionDetails>;
  getGates(arn: string): Promise<VersionGates>;
  /** What changed, for the approver of a decision gate of `arn`. */
  getComparison(arn: string, gate: DecisionGate): Promise<VersionComparison>;
  getAudit(
    arn: string,
    page?: { limit?: number; cursor?: string },
  ): Promise<AuditPage>;
  decide(decision: GateDecision): Promise<VersionGates>;
  retry(request: GateRetryRequest): Promise<VersionGates>;
}

/** @public */
export const mlRegistryApiRef = createApiRef<MlRegistryApi>().with({
  id: 'plugin.ml-registry',
  pluginId: 'ml-registry',
});
