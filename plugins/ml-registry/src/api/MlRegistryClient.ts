import { ResponseError } from '@backstage/errors';
import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import {
  AccountsResponse,
  ModelsResponse,
  VersionDetails,
  GateRetryRequest,
  VersionGates,
  VersionsPage,
} from '@ml-governance/plugin-ml-registry-common';
import {
  GateDecision,
  MlRegistryApi,
  ModelsFilter,
  VersionsQuery,
} from './MlRegistryApi';

function query(params: object): string {
  const entries = Object.entries(params).filter(
    ([, v]) => v !== undefined && v !== '',
  );
  return entries.length
    ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)]))}`
    : '';
}

/** Talks to the ml-registry backend plugin over HTTP. */
export class MlRegistryClient implements MlRegistryApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  listAccounts(): Promise<AccountsResponse> {
    return this.request('/accounts');
  }

  listModels(filter: ModelsFilter = {}): Promise<ModelsResponse> {
    return this.request(`/models${query(filter)}`);
  }

  listVersions(
    accountId: string,
    groupName: string,
    page: VersionsQuery = {},
  ): Promise<VersionsPage> {
    return this.request(
      `/models/${encodeURIComponent(accountId)}/${encodeURIComponent(
        groupName,
      )}/versions${query(page)}`,
    );
  }

  getVersion(arn: string): Promise<VersionDetails> {
    return this.request(`/versions/by-arn${query({ arn })}`);
  }

  getGates(arn: string): Promise<VersionGates> {
    return this.request(`/gates${query({ arn })}`);
  }

  decide(decision: GateDecision): Promise<VersionGates> {
    return this.request('/gates/decisions', { method: 'POST', body: decision });
  }

  retry(request: GateRetryRequest): Promise<VersionGates> {
    return this.request('/gates/retries', { method: 'POST', body: request });
  }

  private async request<T>(
    path: string,
    init?: { method: string; body: object },
  ): Promise<T> {
    const baseUrl = await this.deps.discoveryApi.getBaseUrl('ml-registry');
    const response = await this.deps.fetchApi.fetch(
      `${baseUrl}${path}`,
      init && {
        method: init.method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(init.body),
      },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
