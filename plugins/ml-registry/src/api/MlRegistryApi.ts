import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  AccountsResponse,
  AccountStage,
  GateDecisionRequest,
  ModelsResponse,
  PendingGate,
  VersionDetails,
  GateRetryRequest,
  VersionGates,
  VersionsPage,
} from '@ml-governance/plugin-ml-registry-common';

/** Filters of the models list. @public */
export interface ModelsFilter {
  account?: string;
  stage?: AccountStage;
  status?: 'Approved' | 'Rejected' | 'PendingManualApproval';
  owner?: string;
  pendingGate?: PendingGate;
}

/** One page of a model's versions. @public */
export interface VersionsQuery {
  offset?: number;
  limit?: number;
  sort?: 'version' | 'createdAt' | 'lastModifiedAt';
  order?: 'asc' | 'desc';
  status?: 'Approved' | 'Rejected' | 'PendingManualApproval';
}

/** A decision at a gate, as the signed-in user. @public */
export type GateDecision = GateDecisionRequest;

/**
 * The ML registry backend's REST API, as the frontend sees it.
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
  decide(decision: GateDecision): Promise<VersionGates>;
  retry(request: GateRetryRequest): Promise<VersionGates>;
}

/** @public */
export const mlRegistryApiRef = createApiRef<MlRegistryApi>().with({
  id: 'plugin.ml-registry',
  pluginId: 'ml-registry',
});
