// One page of a model's versions as the plugin's API answers it, straight from
// node-postgres: the plugin's page query (the page and a window count, one
// query) on a pool of the backend's knex size (10), the rows mapped to the same
// JSON. Shared by the bench's bare server and its minimal Backstage plugin.
import pg from 'pg';

const SORTS = {
  version: 'version',
  createdAt: 'created_at',
  lastModifiedAt: 'last_modified_at',
};

/** The path of the listing under a plugin's base path, its parameters captured. */
export const VERSIONS_ROUTE = /^\/models\/([^/]+)\/([^/]+)\/versions$/;

function toItem(row) {
  const item = {
    arn: row.arn,
    accountId: row.account_id,
    groupName: row.group_name,
    version: row.version,
    approvalStatus: row.approval_status,
  };
  if (row.approval_description)
    item.approvalDescription = row.approval_description;
  if (row.created_by) item.createdBy = row.created_by;
  item.createdAt = new Date(row.created_at).toISOString();
  item.lastModifiedAt = new Date(row.last_modified_at).toISOString();
  item.metadata = row.metadata ? JSON.parse(row.metadata) : {};
  for (const [column, key] of [
    ['source_arn', 'sourceArn'],
    ['model_data_url', 'modelDataUrl'],
    ['project_id', 'projectId'],
    ['training_data', 'trainingData'],
    ['generated_by', 'generatedBy'],
  ])
    if (row[column]) item[key] = row[column];
  return item;
}

/** A function answering (accountId, groupName, URLSearchParams) with the page's JSON body. */
export function bareVersions(database) {
  const pool = new pg.Pool({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database,
    max: 10,
  });
  return async (accountId, groupName, query) => {
    const sort = SORTS[query.get('sort') ?? 'version'];
    const order = query.get('order') === 'asc' ? 'asc' : 'desc';
    const limit = Number(query.get('limit') ?? 50);
    const offset = Number(query.get('offset') ?? 0);
    const { rows } = await pool.query(
      `select *, count(*) over () as total_count from ml_model_versions
       where account_id = $1 and group_name = $2
       order by ${sort} ${order}, version ${order} limit $3 offset $4`,
      [accountId, groupName, limit, offset],
    );
    return {
      items: rows.map(toItem),
      totalCount: rows.length ? Number(rows[0].total_count) : 0,
      offset,
      limit,
    };
  };
}
