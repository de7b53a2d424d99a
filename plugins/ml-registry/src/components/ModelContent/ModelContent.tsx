import { memo, MutableRefObject, useCallback, useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Table, TableColumn, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Typography } from '@material-ui/core';
import {
  ANNOTATION_AWS_ARN,
  ModelVersion,
  parseModelPackageGroupArn,
  sagemakerArn,
} from '@ml-governance/plugin-ml-registry-common';
import { mlRegistryApiRef, VersionsQuery } from '../../api/MlRegistryApi';
import { Actor } from '../Actor/Actor';
import { VersionGates } from '../gates/VersionGates';
import { RelativeTime } from '../RelativeTime/RelativeTime';
import { useModelRefresh } from '../signals/useModelRefresh';
import { VersionDetailsPanel } from '../VersionDetailsPanel/VersionDetailsPanel';

const STATUS_LABELS: Record<string, string> = {
  Approved: 'Approved',
  Rejected: 'Rejected',
  PendingManualApproval: 'Pending approval',
};
const SORT_FIELDS: Record<string, VersionsQuery['sort']> = {
  version: 'version',
  createdAt: 'createdAt',
};

/** What the table asks for when it pages or sorts. */
type PageQuery = {
  page: number;
  pageSize: number;
  orderBy?: { field?: unknown };
  orderDirection?: string;
};

const columns: TableColumn<ModelVersion>[] = [
  { title: 'Version', field: 'version', type: 'numeric', align: 'left' },
  {
    title: 'Status',
    field: 'approvalStatus',
    sorting: false,
    render: v => STATUS_LABELS[v.approvalStatus] ?? v.approvalStatus,
  },
  { title: 'AUC', sorting: false, render: v => v.metadata.auc ?? '-' },
  {
    title: 'Accuracy',
    sorting: false,
    render: v => v.metadata.accuracy ?? '-',
  },
  {
    title: 'Created by',
    field: 'createdBy',
    sorting: false,
    render: v => (v.createdBy ? <Actor who={v.createdBy} /> : '-'),
  },
  {
    title: 'Created',
    field: 'createdAt',
    render: v => <RelativeTime at={v.createdAt} />,
  },
];

const tableOptions = {
  pageSize: 20,
  pageSizeOptions: [20, 50, 100],
  search: false,
  padding: 'dense' as const,
  emptyRowsWhenPaging: false,
  // Draggable headers nest a focusable element in each sort button.
  draggable: false,
};

type TableRef = MutableRefObject<{ onQueryChange?: () => void } | undefined>;

/**
 * The versions, a page at a time as the backend sorts them; memoised, so
 * picking a version (a new search parameter, rendering the page again) does
 * not render a hundred rows again before the version's gates start loading.
 */
const VersionsTable = memo(function VersionsPage(props: {
  groupName: string;
  fetchPage: (q: PageQuery) => Promise<{
    data: ModelVersion[];
    page: number;
    totalCount: number;
  }>;
  onSelect: (version: number) => void;
  tableRef: TableRef;
}) {
  const { groupName, fetchPage, onSelect, tableRef } = props;
  return (
    <Table<ModelVersion>
      title={`Versions of ${groupName}`}
      columns={columns}
      tableRef={tableRef}
      options={tableOptions}
      onRowClick={(_e, row) => row && onSelect(row.version)}
      data={fetchPage}
      emptyContent={
        <Box p={2}>
          <Typography>No versions registered in this group yet.</Typography>
        </Box>
      }
    />
  );
});

/**
 * The Model tab of an ai-model entity: its versions (paged and sorted by the
 * backend) and, for the version picked (`?version=` in the URL, so a link can
 * open a version's gates), its gates and audit trail; every part reads again
 * when the backend signals a change of the model.
 */
export function ModelContent() {
  const { entity } = useEntity();
  const annotation = entity.metadata.annotations?.[ANNOTATION_AWS_ARN];
  const group = annotation ? parseModelPackageGroupArn(annotation) : undefined;
  if (!annotation || !group) {
    return (
      <WarningPanel title="Not a model package group">
        This entity has no {ANNOTATION_AWS_ARN} annotation naming a SageMaker
        model package group.
      </WarningPanel>
    );
  }
  return (
    <VersionsView
      groupArn={annotation}
      region={group.region}
      accountId={group.accountId}
      groupName={group.group}
    />
  );
}

function VersionsView(props: {
  groupArn: string;
  region: string;
  accountId: string;
  groupName: string;
}) {
  const { groupArn, region, accountId, groupName } = props;
  const api = useApi(mlRegistryApiRef);
  const [params, setParams] = useSearchParams();
  const picked = Number(params.get('version')) || undefined;
  const selectedArn = picked
    ? sagemakerArn(region, accountId, `model-package/${groupName}/${picked}`)
    : undefined;
  // The router's setter changes with the search parameters; the table must not.
  const setParamsNow = useRef(setParams);
  useEffect(() => {
    setParamsNow.current = setParams;
  }, [setParams]);
  const select = useCallback(
    (version: number) =>
      setParamsNow.current(
        p => {
          p.set('version', String(version));
          return p;
        },
        { replace: true },
      ),
    [],
  );
  // One function for the table's lifetime: the table fetches again whenever it
  // gets a new one, and picking a version must not reload the page of versions.
  const fetchPage = useCallback(
    async (q: PageQuery) => {
      const orderBy = q.orderBy?.field
        ? SORT_FIELDS[String(q.orderBy.field)]
        : undefined;
      const page = await api.listVersions(accountId, groupName, {
        offset: q.page * q.pageSize,
        limit: q.pageSize,
        sort: orderBy ?? 'version',
        order: q.orderDirection === 'asc' ? 'asc' : 'desc',
      });
      return { data: page.items, page: q.page, totalCount: page.totalCount };
    },
    [api, accountId, groupName],
  );
  // The page of versions shown is read again, as it is, on each change of the model.
  const table: TableRef = useRef();
  const changes = useModelRefresh(groupArn);
  useEffect(() => {
    if (changes > 0) table.current?.onQueryChange?.();
  }, [changes]);
  return (
    <>
      <VersionsTable
        groupName={groupName}
        fetchPage={fetchPage}
        onSelect={select}
        tableRef={table}
      />
      <Box mt={3}>
        {selectedArn ? (
          <>
            <Typography variant="h5" component="h2" gutterBottom>
              Version {picked}: gates
            </Typography>
            <VersionGates arn={selectedArn} label={`${groupName} v${picked}`} />
            <Box mt={3}>
              <VersionDetailsPanel arn={selectedArn} />
            </Box>
          </>
        ) : (
          <Typography variant="body2">
            Pick a version to see its gates, who decided and why.
          </Typography>
        )}
      </Box>
    </>
  );
}
