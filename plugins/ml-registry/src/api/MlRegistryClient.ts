import { ResponseError } from '@backstage/errors';
import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { AccountsResponse } from '@ml-governance/plugin-ml-registry-common';
import { MlRegistryApi } from './MlRegistryApi';

/** Talks to the ml-registry backend plugin over HTTP. */
export class MlRegistryClient implements MlRegistryApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  async listAccounts(): Promise<AccountsResponse> {
    return this.get<AccountsResponse>('/accounts');
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.deps.discoveryApi.getBaseUrl('ml-registry');
    const response = await this.deps.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
