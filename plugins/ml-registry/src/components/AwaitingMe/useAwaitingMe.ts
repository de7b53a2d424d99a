import useAsync from 'react-use/esm/useAsync';
import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { ML_REGISTRY_AWAITING_SIGNAL_CHANNEL } from '@ml-governance/plugin-ml-registry-common';
import { mlRegistryApiRef } from '../../api/MlRegistryApi';
import { useRefreshOnSignals } from '../signals/useRefreshOnSignals';
import {
  AwaitingDecisions,
  findAwaitingDecisions,
} from './findAwaitingDecisions';

/**
 * What awaits the signed-in user's decision and the groups they decide as,
 * read again whenever the backend signals that a version came to wait at a
 * gate or left it (every minute where signals are not installed).
 */
export function useAwaitingMe() {
  const api = useApi(mlRegistryApiRef);
  const permissionApi = useApi(permissionApiRef);
  const identityApi = useApi(identityApiRef);
  const changes = useRefreshOnSignals([ML_REGISTRY_AWAITING_SIGNAL_CHANNEL], {
    poll: true,
    pollMs: 60_000,
  });
  const { value, loading, error } = useAsync(async (): Promise<
    AwaitingDecisions & { groups: string[] }
  > => {
    const [found, identity] = await Promise.all([
      findAwaitingDecisions(api, permissionApi),
      identityApi.getBackstageIdentity(),
    ]);
    const groups = identity.ownershipEntityRefs.filter(r =>
      r.startsWith('group:'),
    );
    return { ...found, groups };
  }, [api, permissionApi, identityApi, changes]);
  return { value, loading: loading && !value, error };
}
