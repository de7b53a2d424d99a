import {
  Progress,
  ResponseErrorPanel,
  StatusOK,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { AccountStatus } from '@ml-governance/plugin-ml-registry-common';
import { RelativeTime } from '../RelativeTime/RelativeTime';

const columns: TableColumn<AccountStatus>[] = [
  { title: 'Account', field: 'name' },
  { title: 'Account id', field: 'accountId' },
  { title: 'Stage', field: 'stage' },
  { title: 'Team', field: 'team', emptyValue: '—' },
  {
    title: 'Sync',
    field: 'stale',
    // A word next to the icon, so the state is never told by color alone.
    render: account =>
      account.stale ? (
        <StatusWarning>
          {account.lastError ? `Stale: ${account.lastError}` : 'Not synced yet'}
        </StatusWarning>
      ) : (
        <StatusOK>
          Synced{' '}
          {account.lastSyncAt ? <RelativeTime at={account.lastSyncAt} /> : ''}
        </StatusOK>
      ),
  },
];

/** Every AWS account of the ML platform, with its sync state. */
export function AccountsTable(props: {
  accounts?: AccountStatus[];
  loading: boolean;
  error?: Error;
}) {
  const { accounts, loading, error } = props;

  return (
    <>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {accounts && (
        <Table<AccountStatus>
          title="AWS accounts"
          options={{ paging: false, search: false, draggable: false }}
          columns={columns}
          data={accounts}
          emptyContent={
            <div style={{ padding: 16 }}>
              No accounts are configured. Add them under mlRegistry.accounts in
              app-config.yaml.
            </div>
          }
        />
      )}
    </>
  );
}
