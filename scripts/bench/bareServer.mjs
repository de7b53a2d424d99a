#!/usr/bin/env node
// The bare comparison for the API benchmark: Node's http and pg, no Backstage
// (no auth, permissions, validation or logging), answering
// GET /api/ml-registry/models/:accountId/:groupName/versions with the SQL the
// plugin's version store sends (one query: the page and a window count) and
// the same JSON body, from the same pool size as the backend's knex (10).
// Usage: node bareServer.mjs <port> <database>
import http from 'node:http';
import pg from 'pg';

const [port, database] = process.argv.slice(2);
const pool = new pg.Pool({
  host: '127.0.0.1',
  port: 5432,
  user: 'postgres',
  database,
  max: 10,
});
const SORTS = {
  version: 'version',
  createdAt: 'created_at',
  lastModifiedAt: 'last_modified_at',
};
const ROUTE = /^\/api\/ml-registry\/models\/([^/]+)\/([^/]+)\/versions$/;

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

async function versions(match, query) {
  const sort = SORTS[query.get('sort') ?? 'version'];
  const order = query.get('order') === 'asc' ? 'asc' : 'desc';
  const limit = Number(query.get('limit') ?? 50);
  const offset = Number(query.get('offset') ?? 0);
  const { rows } = await pool.query(
    `select *, count(*) over () as total_count from "ml_model_versions"
     where "account_id" = $1 and "group_name" = $2
     order by "${sort}" ${order}, "version" ${order} limit $3 offset $4`,
    [decodeURIComponent(match[1]), decodeURIComponent(match[2]), limit, offset],
  );
  return {
    items: rows.map(toItem),
    totalCount: rows.length ? Number(rows[0].total_count) : 0,
    offset,
    limit,
  };
}

http
  .createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const match = url.pathname.match(ROUTE);
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = JSON.stringify(await versions(match, url.searchParams));
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  })
  .listen(Number(port), '127.0.0.1');
