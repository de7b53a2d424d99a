import { createApiRef } from '@backstage/frontend-plugin-api';
import { AccountsResponse } from '@ml-governance/plugin-ml-registry-common';

/**
 * The ML registry backend's REST API, as the frontend sees it.
 *
 * @public
 */
export interface MlRegistryApi {
  listAccounts(): Promise<AccountsResponse>;
}

/** @public */
export const mlRegistryApiRef = createApiRef<MlRegistryApi>().with({
  id: 'plugin.ml-registry',
  pluginId: 'ml-registry',
});
