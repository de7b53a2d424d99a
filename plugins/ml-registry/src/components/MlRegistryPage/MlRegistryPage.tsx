import useAsync from 'react-use/esm/useAsync';
import { Content } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { Box } from '@material-ui/core';
import { mlRegistryApiRef } from '../../api/MlRegistryApi';
import { AccountsTable } from '../AccountsTable/AccountsTable';
import { ModelsTable } from '../ModelsTable/ModelsTable';

/** The ML Registry page: every model across accounts, and the accounts' sync state. */
export function MlRegistryPage() {
  const api = useApi(mlRegistryApiRef);
  const { value, loading, error } = useAsync(() => api.listAccounts(), [api]);
  return (
    <Content>
      <ModelsTable accounts={value?.items ?? []} />
      <Box mt={3}>
        <AccountsTable
          accounts={value?.items}
          loading={loading}
          error={error}
        />
      </Box>
    </Content>
  );
}
