import { Knex } from 'knex';
import type { ModelVersionRecord } from './VersionStore';

/** The columns of ml_model_versions, with their PostgreSQL types. */
const COLUMNS = [
  ['arn', 'text'],
  ['account_id', 'text'],
  ['group_name', 'text'],
  ['version', 'int'],
  ['approval_status', 'text'],
  ['approval_description', 'text'],
  ['created_by', 'text'],
  ['created_at', 'timestamptz'],
  ['last_modified_at', 'timestamptz'],
  ['metadata', 'text'],
  ['source_arn', 'text'],
  ['model_data_url', 'text'],
  ['project_id', 'text'],
  ['training_data', 'text'],
  ['generated_by', 'text'],
] as const;
const NAMES = COLUMNS.map(([name]) => name).join(', ');
const UPDATES = COLUMNS.slice(1)
  .map(([name]) => `${name} = excluded.${name}`)
  .join(', ');

/**
 * A version as a row. For PostgreSQL, one element of the JSON array a whole
 * batch is sent as: one bound parameter whatever the batch's size, parsed by
 * the database rather than by a query builder walking every value. A value the
 * version lacks is left undefined, so JSON leaves its key out (json_to_recordset
 * reads a missing key as NULL): most are absent, and every byte of the batch is
 * built, sent and parsed. Timestamps as the dialect stores them: ISO strings
 * for PostgreSQL, milliseconds for SQLite (as knex binds Dates there). `ord`
 * orders the history PostgreSQL appends.
 */
function toRow(
  v: ModelVersionRecord,
  time: (d: Date) => string | number,
  ord: number,
) {
  return {
    arn: v.arn,
    account_id: v.accountId,
    group_name: v.groupName,
    version: v.version,
    approval_status: v.approvalStatus,
    approval_description: v.approvalDescription,
    created_by: v.createdBy,
    created_at: time(v.createdAt),
    last_modified_at: time(v.lastModifiedAt),
    metadata: JSON.stringify(v.metadata),
    source_arn: v.sourceArn,
    model_data_url: v.modelDataUrl,
    project_id: v.projectId,
    training_data: v.trainingData,
    generated_by: v.generatedBy,
    changed_by: v.lastModifiedBy ?? v.createdBy,
    ord,
  };
}

// One statement: every CTE sees the table as it was before the statement, so
// `changed` compares against the stored state while the upsert replaces it.
const PG_UPSERT = `
WITH input AS (
  SELECT * FROM json_to_recordset(?::json) AS t(${COLUMNS.map(
    ([name, type]) => `${name} ${type}`,
  ).join(', ')}, changed_by text, ord int)
), changed AS (
  SELECT i.* FROM input i LEFT JOIN ml_model_versions v ON v.arn = i.arn
  WHERE v.arn IS NULL OR v.approval_status <> i.approval_status
    OR coalesce(v.approval_description, '') <> coalesce(i.approval_description, '')
), history AS (
  INSERT INTO ml_version_history (arn, approval_status, approval_description, changed_by, changed_at)
  SELECT arn, approval_status, approval_description, changed_by, last_modified_at
  FROM changed ORDER BY ord
), upserted AS (
  INSERT INTO ml_model_versions (${NAMES}) SELECT ${NAMES} FROM input
  ON CONFLICT (arn) DO UPDATE SET ${UPDATES}
)
SELECT arn FROM changed`;

/**
 * A batch commits without waiting for its WAL to reach disk
 * (https://www.postgresql.org/docs/current/wal-async-commit.html): a crash may
 * lose the last batches, never half of one, and loses nothing the sync cannot
 * read again, since the account's cursor is committed synchronously after its
 * versions and that commit flushes the WAL of every earlier one. Measured in
 * a micro-benchmark of this statement: 15% less PostgreSQL CPU.
 */
async function upsertPg(db: Knex, batch: ModelVersionRecord[]) {
  const rows = batch.map((v, ord) => toRow(v, d => d.toISOString(), ord));
  const changed: { arn: string }[] = await db.transaction(async tx => {
    await tx.raw('SET LOCAL synchronous_commit TO OFF');
    return (await tx.raw(PG_UPSERT, [JSON.stringify(rows)])).rows;
  });
  return new Set<string>(changed.map(r => r.arn));
}

/** `count` rows of `width` placeholders, for a multi-row VALUES. */
const placeholders = (width: number, count: number) =>
  Array(count)
    .fill(`(${Array(width).fill('?').join(', ')})`)
    .join(', ');
const HISTORY_COLUMNS =
  'arn, approval_status, approval_description, changed_by, changed_at';

/**
 * Rows a SQLite transaction at most, the event loop let run between them:
 * SQLite's statements run on it, and a batch joined from many accounts
 * (sync/VersionWriter.ts) written at once held every account's requests
 * meanwhile (a first sync of 200 accounts 36 s, against 15 s before joining,
 * at load 4-6). SQLite has no round trip or commit for joining to save.
 */
const SQLITE_ROWS = 100;

/**
 * SQLite runs in-process, so a statement costs no round trip: the stored
 * states are read, the new ones appended and the batch upserted in one
 * transaction, each a multi-row statement. (Parsing the JSON batch in SQLite
 * with json_each, as PostgreSQL does, measured 2.6 times slower.)
 */
async function upsertSqlite(db: Knex, batch: ModelVersionRecord[]) {
  const rows = batch.map((v, ord) => toRow(v, d => d.getTime(), ord));
  return db.transaction(async tx => {
    const stored = new Map<string, string>(
      (
        await tx.raw(
          `SELECT arn, approval_status, approval_description FROM ml_model_versions WHERE arn IN (${Array(
            rows.length,
          )
            .fill('?')
            .join(', ')})`,
          rows.map(r => r.arn),
        )
      ).map((r: any) => [
        r.arn,
        `${r.approval_status}|${r.approval_description ?? ''}`,
      ]),
    );
    const changed = rows.filter(
      r =>
        stored.get(r.arn) !==
        `${r.approval_status}|${r.approval_description ?? ''}`,
    );
    if (changed.length)
      await tx.raw(
        `INSERT INTO ml_version_history (${HISTORY_COLUMNS}) VALUES ${placeholders(
          5,
          changed.length,
        )}`,
        changed.flatMap(r => [
          r.arn,
          r.approval_status,
          r.approval_description ?? null,
          r.changed_by ?? null,
          r.last_modified_at,
        ]),
      );
    await tx.raw(
      `INSERT INTO ml_model_versions (${NAMES}) VALUES ${placeholders(
        COLUMNS.length,
        rows.length,
      )} ON CONFLICT (arn) DO UPDATE SET ${UPDATES}`,
      rows.flatMap(r => COLUMNS.map(([name]) => r[name] ?? null)),
    );
    return new Set(changed.map(r => r.arn));
  });
}

/**
 * Upserts a batch of versions and appends each state not stored before to the
 * approval history. Returns the versions whose state was new. A batch holding
 * an ARN twice keeps its last reading.
 */
export async function upsertVersionBatch(
  db: Knex,
  versions: ModelVersionRecord[],
): Promise<ModelVersionRecord[]> {
  const batch = [...new Map(versions.map(v => [v.arn, v])).values()];
  if (batch.length === 0) return [];
  if (db.client.dialect === 'postgresql') {
    const changed = await upsertPg(db, batch);
    return batch.filter(v => changed.has(v.arn));
  }
  const changed = new Set<string>();
  for (let i = 0; i < batch.length; i += SQLITE_ROWS) {
    // Lets the requests waiting on the event loop in between.
    if (i > 0) await new Promise(resolve => setImmediate(resolve));
    for (const arn of await upsertSqlite(db, batch.slice(i, i + SQLITE_ROWS)))
      changed.add(arn);
  }
  return batch.filter(v => changed.has(v.arn));
}
