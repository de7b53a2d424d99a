import { ResponseError } from '@backstage/errors';
import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import {
  DecisionGate,
  MlRegistryPaths,
} from '@ml-governance/plugin-ml-registry-common';
import { MlRegistryApi } from './MlRegistryApi';

/*
 * A client typed by the generated paths: each call names a path and method of
 * the OpenAPI document, and its parameters, body and answer are the document's.
 * Backstage's generated clients (`backstage-repo-tools package schema openapi
 * generate --client-package`) run openapi-generator-cli, a JAR downloaded from
 * Maven Central, which cannot be reached where this suite is built; this small
 * class over the types from openapi-typescript does the same job.
 */
type Method = 'get' | 'post';
type Operation<P extends keyof MlRegistryPaths, M extends Method> = NonNullable<
  MlRegistryPaths[P][M]
>;
type Input<Op> = (Op extends { parameters: infer Params }
  ? Params extends { query?: infer Q; path?: infer A }
    ? { query?: Q; path?: A }
    : {}
  : {}) &
  (Op extends { requestBody: { content: { 'application/json': infer B } } }
    ? { body: B }
    : {});
type Answer<Op> = Op extends {
  responses: { 200: { content: { 'application/json': infer R } } };
}
  ? R
  : never;

function url(template: string, input: { query?: object; path?: object }) {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(String((input.path as Record<string, unknown>)[name])),
  );
  const entries = Object.entries(input.query ?? {}).filter(
    ([, v]) => v !== undefined && v !== '',
  );
  return entries.length
    ? `${path}?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)]))}`
    : path;
}

/** Talks to the ml-registry backend plugin over HTTP. */
export class MlRegistryClient implements MlRegistryApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  listAccounts() {
    return this.call('get', '/accounts', {});
  }

  listModels(filter: Parameters<MlRegistryApi['listModels']>[0] = {}) {
    return this.call('get', '/models', { query: filter });
  }

  listVersions(
    accountId: string,
    groupName: string,
    query: Parameters<MlRegistryApi['listVersions']>[2] = {},
  ) {
    return this.call('get', '/models/{accountId}/{groupName}/versions', {
      path: { accountId, groupName },
      query,
    });
  }

  getVersion(arn: string) {
    return this.call('get', '/versions/by-arn', { query: { arn } });
  }

  getGates(arn: string) {
    return this.call('get', '/gates', { query: { arn } });
  }

  getComparison(arn: string, gate: DecisionGate) {
    return this.call('get', '/gates/comparison', { query: { arn, gate } });
  }

  getAudit(arn: string, page: { limit?: number; cursor?: string } = {}) {
    return this.call('get', '/audit', { query: { arn, ...page } });
  }

  decide(decision: Parameters<MlRegistryApi['decide']>[0]) {
    return this.call('post', '/gates/decisions', { body: decision });
  }

  retry(request: Parameters<MlRegistryApi['retry']>[0]) {
    return this.call('post', '/gates/retries', { body: request });
  }

  private async call<P extends keyof MlRegistryPaths, M extends Method>(
    method: M,
    path: P,
    input: Input<Operation<P, M>>,
  ): Promise<Answer<Operation<P, M>>> {
    const baseUrl = await this.deps.discoveryApi.getBaseUrl('ml-registry');
    const body = (input as { body?: unknown }).body;
    const response = await this.deps.fetchApi.fetch(
      `${baseUrl}${url(path, input)}`,
      method === 'get'
        ? undefined
        : {
            method: method.toUpperCase(),
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return await response.json();
  }
}
