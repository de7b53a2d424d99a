import useAsync from 'react-use/esm/useAsync';
import { Content } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { Box } from '@material-ui/core';
import { mlRegistryApiRef } from '../../api/MlRegistryApi';
import { AccountsTable } from '../AccountsTable/AccountsTable';
import { AwaitingMeCard } from '../AwaitingMe/AwaitingMeCard';
import { ModelsTable } from '../ModelsTable/ModelsTable';

/** The ML Registry page: what awaits the user's decision, every model across accounts, and the accounts' sync state. */
export function MlRegistryPage() {
  const api = useApi(mlRegistryApiRef);
  const { value, loading, error } = useAsync(() => api.listAccounts(), [api]);
  return (
    <Content>
      <Box mb={3}>
        <AwaitingMeCard />
      </Box>
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
