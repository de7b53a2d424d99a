import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Box,
  FormControl,
  InputLabel,
  MenuItem,
  Select,
  TextField,
  makeStyles,
} from '@material-ui/core';
import {
  ACCOUNT_STAGES,
  AccountStatus,
  ML_REGISTRY_AWAITING_SIGNAL_CHANNEL,
  ModelSummary,
} from '@ml-governance/plugin-ml-registry-common';
import { mlRegistryApiRef, ModelsFilter } from '../../api/MlRegistryApi';
import { useRefreshOnSignals } from '../signals/useRefreshOnSignals';

/** A choice's options: `any` (no filter), then each value, named as it is. */
const anyOr = (any: string, values: readonly string[]) =>
  Object.fromEntries([['', any], ...values.map(v => [v, v])]);

const STATUSES = {
  '': 'Any status',
  PendingManualApproval: 'Has a pending version',
  Approved: 'Has an approved version',
  Rejected: 'Has a rejected version',
};

const columns: TableColumn<ModelSummary>[] = [
  {
    title: 'Model',
    field: 'groupName',
    render: m => (
      <EntityRefLink entityRef={m.entityRef} hideIcon>
        {m.groupName}
      </EntityRefLink>
    ),
  },
  { title: 'Account', field: 'accountName' },
  { title: 'Stage', field: 'stage' },
  {
    title: 'Owner',
    field: 'owner',
    render: m => <EntityRefLink entityRef={m.owner} />,
  },
  { title: 'Versions', field: 'versions', type: 'numeric' },
  { title: 'Latest', field: 'latestVersion', type: 'numeric', emptyValue: '-' },
  {
    title: 'Pending',
    type: 'numeric',
    render: m => m.statusCounts.PendingManualApproval ?? 0,
    customSort: (a, b) =>
      (a.statusCounts.PendingManualApproval ?? 0) -
      (b.statusCounts.PendingManualApproval ?? 0),
  },
  {
    title: 'Approved',
    type: 'numeric',
    render: m => m.statusCounts.Approved ?? 0,
    customSort: (a, b) =>
      (a.statusCounts.Approved ?? 0) - (b.statusCounts.Approved ?? 0),
  },
];

// The filters' labels sit on the page's background, where the secondary text colour is too faint (WCAG 1.4.3).
const useStyles = makeStyles(theme => ({
  label: { color: theme.palette.text.primary },
}));

function Choice(props: {
  label: string;
  value: string;
  options: Record<string, string>;
  onChange: (value: string) => void;
}) {
  const classes = useStyles();
  const id = `ml-models-${props.label.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <FormControl variant="outlined" size="small" style={{ minWidth: 170 }}>
      <InputLabel id={id} className={classes.label}>
        {props.label}
      </InputLabel>
      <Select
        labelId={id}
        label={props.label}
        value={props.value}
        onChange={e => props.onChange(String(e.target.value))}
      >
        {Object.entries(props.options).map(([value, label]) => (
          <MenuItem key={value} value={value}>
            {label}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

/**
 * Every model of every account, filtered by account, stage, status, owner and
 * team, searchable; read again when the backend signals that a version came
 * to wait at a gate or left it.
 */
export function ModelsTable(props: { accounts: AccountStatus[] }) {
  const classes = useStyles();
  const api = useApi(mlRegistryApiRef);
  const changes = useRefreshOnSignals([ML_REGISTRY_AWAITING_SIGNAL_CHANNEL], {
    poll: false,
    pollMs: 60_000,
  });
  const [filter, setFilter] = useState<ModelsFilter>({});
  const [team, setTeam] = useState('');
  const [search, setSearch] = useState('');

  const {
    value: models,
    loading,
    error,
  } = useAsync(
    async () => (await api.listModels(filter)).items,
    [api, filter, changes],
  );

  const teamAccounts = useMemo(
    () =>
      new Set(
        props.accounts
          .filter(a => !team || a.team === team)
          .map(a => a.accountId),
      ),
    [props.accounts, team],
  );
  const rows = (models ?? []).filter(
    m =>
      (!team || teamAccounts.has(m.accountId) || m.owner === team) &&
      (!search ||
        `${m.groupName} ${m.accountName} ${m.owner}`
          .toLowerCase()
          .includes(search.toLowerCase())),
  );
  const owners = Object.fromEntries([
    ['', 'Any owner'],
    ...[...new Set((models ?? []).map(m => m.owner))].sort().map(o => [o, o]),
  ]);
  const teams = Object.fromEntries([
    ['', 'Any team'],
    ...[
      ...new Set(
        props.accounts.map(a => a.team).filter((t): t is string => !!t),
      ),
    ]
      .sort()
      .map(t => [t, t]),
  ]);
  const set = (key: keyof ModelsFilter) => (value: string) =>
    setFilter(f => ({ ...f, [key]: value || undefined }));
  const stale = props.accounts.filter(a => a.stale);

  return (
    <>
      {stale.length > 0 && (
        <Box mb={2}>
          {/* Named with since when in the title, which stays in view; the sync's error stays on the accounts table. */}
          <WarningPanel
            title={`${stale.length} account${
              stale.length > 1 ? 's are' : ' is'
            } stale: their models may be out of date. ${stale
              .map(
                a =>
                  `${a.name} (${a.accountId}): ${
                    a.lastError
                      ? `cannot be reached, shown as last synced ${
                          a.lastSyncAt
                            ? new Date(a.lastSyncAt).toLocaleString()
                            : 'never'
                        }`
                      : 'not synced yet'
                  }`,
              )
              .join('; ')}`}
          />
        </Box>
      )}
      <Box
        display="flex"
        flexWrap="wrap"
        gridGap={12}
        mb={2}
        alignItems="center"
      >
        <TextField
          id="ml-models-search"
          label="Search models"
          variant="outlined"
          size="small"
          value={search}
          onChange={e => setSearch(e.target.value)}
          InputLabelProps={{ className: classes.label }}
        />
        <Choice
          label="Account"
          value={filter.account ?? ''}
          onChange={set('account')}
          options={anyOr(
            'Any account',
            props.accounts.map(a => a.name),
          )}
        />
        <Choice
          label="Stage"
          value={filter.stage ?? ''}
          onChange={set('stage')}
          options={anyOr('Any stage', ACCOUNT_STAGES)}
        />
        <Choice
          label="Status"
          value={filter.status ?? ''}
          onChange={set('status')}
          options={STATUSES}
        />
        <Choice
          label="Owner"
          value={filter.owner ?? ''}
          onChange={set('owner')}
          options={owners}
        />
        <Choice label="Team" value={team} onChange={setTeam} options={teams} />
      </Box>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {!error && (
        <Table<ModelSummary>
          title="Models"
          columns={columns}
          data={rows}
          options={{
            search: false,
            paging: true,
            pageSize: 20,
            padding: 'dense',
            emptyRowsWhenPaging: false,
            // Draggable headers nest a focusable element in each sort button.
            draggable: false,
          }}
          emptyContent={
            <Box p={2}>
              No models match. Models appear once their accounts have synced.
            </Box>
          }
        />
      )}
    </>
  );
}
