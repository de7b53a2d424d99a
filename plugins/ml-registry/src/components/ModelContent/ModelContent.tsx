import { useCallback, useState } from 'react';
import { Table, TableColumn, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Typography } from '@material-ui/core';
import {
  ANNOTATION_AWS_ARN,
  ModelVersion,
} from '@ml-governance/plugin-ml-registry-common';
import { mlRegistryApiRef, VersionsQuery } from '../../api/MlRegistryApi';
import { VersionGates } from '../gates/VersionGates';
import { VersionDetailsPanel } from '../VersionDetailsPanel/VersionDetailsPanel';

const GROUP_ARN =
  /^arn:aws[a-z-]*:sagemaker:[^:]+:(\d{12}):model-package-group\/(.+)$/;
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
    render: v => v.createdBy ?? '-',
  },
  {
    title: 'Created',
    field: 'createdAt',
    render: v => new Date(v.createdAt).toLocaleString(),
  },
];

/**
 * The Model tab of an ai-model entity: its versions (paged and sorted by the
 * backend) and, for the version picked, its gates and audit trail.
 */
export function ModelContent() {
  const { entity } = useEntity();
  const match =
    entity.metadata.annotations?.[ANNOTATION_AWS_ARN]?.match(GROUP_ARN);
  if (!match) {
    return (
      <WarningPanel title="Not a model package group">
        This entity has no {ANNOTATION_AWS_ARN} annotation naming a SageMaker
        model package group.
      </WarningPanel>
    );
  }
  const [, accountId, groupName] = match;
  return <VersionsView accountId={accountId} groupName={groupName} />;
}

function VersionsView({
  accountId,
  groupName,
}: {
  accountId: string;
  groupName: string;
}) {
  const api = useApi(mlRegistryApiRef);
  const [selected, setSelected] = useState<ModelVersion>();
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
  return (
    <>
      <Table<ModelVersion>
        title={`Versions of ${groupName}`}
        columns={columns}
        options={{
          pageSize: 20,
          pageSizeOptions: [20, 50, 100],
          search: false,
          padding: 'dense',
          emptyRowsWhenPaging: false,
        }}
        onRowClick={(_e, row) => setSelected(row)}
        data={fetchPage}
        emptyContent={
          <Box p={2}>
            <Typography>No versions registered in this group yet.</Typography>
          </Box>
        }
      />
      <Box mt={3}>
        {selected ? (
          <>
            <Typography variant="h5" component="h2" gutterBottom>
              Version {selected.version}: gates
            </Typography>
            <VersionGates
              arn={selected.arn}
              label={`${groupName} v${selected.version}`}
            />
            <Box mt={3}>
              <VersionDetailsPanel arn={selected.arn} />
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
