import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  Box,
  FormControl,
  FormControlLabel,
  InputLabel,
  MenuItem,
  Select,
  Switch,
  TextField,
} from '@material-ui/core';
import {
  ACCOUNT_STAGES,
  AccountStatus,
  DECISION_GATE_TABLE,
  ModelSummary,
  PENDING_GATES,
} from '@ml-governance/plugin-ml-registry-common';
import { mlRegistryApiRef, ModelsFilter } from '../../api/MlRegistryApi';

const STATUSES = {
  '': 'Any status',
  PendingManualApproval: 'Has a pending version',
  Approved: 'Has an approved version',
  Rejected: 'Has a rejected version',
};
const GATE_PERMISSIONS = PENDING_GATES.map(
  gate => [gate, DECISION_GATE_TABLE[gate].permission] as const,
);

/** The ARN of one version of a model (a model package group). */
function versionArn(model: ModelSummary, version: number) {
  return `${model.arn.replace(
    ':model-package-group/',
    ':model-package/',
  )}/${version}`;
}

function entityPath(ref: string) {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  return `/catalog/${namespace}/${kind}/${name}`;
}

const columns: TableColumn<ModelSummary>[] = [
  {
    title: 'Model',
    field: 'groupName',
    render: m => <Link to={entityPath(m.entityRef)}>{m.groupName}</Link>,
  },
  { title: 'Account', field: 'accountName' },
  { title: 'Stage', field: 'stage' },
  { title: 'Owner', field: 'owner' },
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

function Choice(props: {
  label: string;
  value: string;
  options: Record<string, string>;
  onChange: (value: string) => void;
}) {
  const id = `ml-models-${props.label.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <FormControl variant="outlined" size="small" style={{ minWidth: 170 }}>
      <InputLabel id={id}>{props.label}</InputLabel>
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
 * team, searchable, with an "awaiting me" view of the models holding a version
 * at a gate the signed-in user may decide.
 */
export function ModelsTable(props: { accounts: AccountStatus[] }) {
  const api = useApi(mlRegistryApiRef);
  const permissionApi = useApi(permissionApiRef);
  const [filter, setFilter] = useState<ModelsFilter>({});
  const [team, setTeam] = useState('');
  const [awaitingMe, setAwaitingMe] = useState(false);
  const [search, setSearch] = useState('');

  const {
    value: models,
    loading,
    error,
  } = useAsync(async () => {
    if (!awaitingMe) return (await api.listModels(filter)).items;
    // Gate permissions are decided per version, by its account (a lead decides their own team's): any version of a model answers for it.
    const pages = await Promise.all(
      GATE_PERMISSIONS.map(async ([pendingGate, permission]) => {
        const { items } = await api.listModels({ ...filter, pendingGate });
        const mine = await Promise.all(
          items.map(
            async m =>
              m.latestVersion !== undefined &&
              (
                await permissionApi.authorize({
                  permission,
                  resourceRef: versionArn(m, m.latestVersion),
                })
              ).result === AuthorizeResult.ALLOW,
          ),
        );
        return items.filter((_, i) => mine[i]);
      }),
    );
    return pages.flat();
  }, [api, permissionApi, filter, awaitingMe]);

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
        />
        <Choice
          label="Account"
          value={filter.account ?? ''}
          onChange={set('account')}
          options={Object.fromEntries([
            ['', 'Any account'],
            ...props.accounts.map(a => [a.name, a.name]),
          ])}
        />
        <Choice
          label="Stage"
          value={filter.stage ?? ''}
          onChange={set('stage')}
          options={Object.fromEntries([
            ['', 'Any stage'],
            ...ACCOUNT_STAGES.map(s => [s, s]),
          ])}
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
        <FormControlLabel
          control={
            <Switch
              checked={awaitingMe}
              onChange={e => setAwaitingMe(e.target.checked)}
            />
          }
          label="Awaiting me"
        />
      </Box>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {!error && (
        <Table<ModelSummary>
          title={awaitingMe ? 'Models awaiting your decision' : 'Models'}
          columns={columns}
          data={rows}
          options={{
            search: false,
            paging: true,
            pageSize: 20,
            padding: 'dense',
            emptyRowsWhenPaging: false,
          }}
          emptyContent={
            <Box p={2}>
              {awaitingMe
                ? 'Nothing awaits your decision.'
                : 'No models match. Models appear once their accounts have synced.'}
            </Box>
          }
        />
      )}
    </>
  );
}
