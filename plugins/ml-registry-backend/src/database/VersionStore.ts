import { Knex } from 'knex';
import {
  ApprovalEvent,
  ModelVersion,
  parseModelPackageArn,
} from '@ml-governance/plugin-ml-registry-common';
import { whereSourceTrusted } from '../lineage/trustedSource';
import { upsertVersionBatch } from './versionBulkWrite';
import { WithDates } from './withDates';

export interface ModelGroupRecord {
  arn: string;
  accountId: string;
  name: string;
  description?: string;
  createdAt: Date;
}

export interface ModelStats {
  arn: string;
  accountId: string;
  name: string;
  description?: string;
  versions: number;
  latestVersion?: number;
  statusCounts: Record<string, number>;
}

/**
 * A version as the REST API serves it (its project from
 * MetadataProperties.ProjectId, its run from MetadataProperties.GeneratedBy,
 * its training data from the `training-data` metadata).
 */
export interface ModelVersionRecord
  extends WithDates<ModelVersion, 'createdAt' | 'lastModifiedAt'> {
  /** Who made the last change; kept in the approval history, not on the version. */
  lastModifiedBy?: string;
}

/** One approval state a version was seen in. */
export type ApprovalRecord = WithDates<ApprovalEvent, 'changedAt'>;

/** The columns a group's row is grouped by when joined with its versions. */
const GROUP_COLUMNS = ['g.arn', 'g.account_id', 'g.name', 'g.description'];

/** A group with what its catalog entity shows. */
export interface GroupSummary extends ModelGroupRecord {
  latestVersion?: number;
  latestApprovedVersion?: number;
  /** The project of its newest version that has one. */
  projectId?: string;
  trainingData: string[];
}

type VersionRow = {
  arn: string;
  account_id: string;
  group_name: string;
  version: number;
  approval_status: string;
  approval_description: string | null;
  created_by: string | null;
  created_at: Date | string | number;
  last_modified_at: Date | string | number;
  metadata: string | null;
  source_arn: string | null;
  model_data_url: string | null;
  project_id: string | null;
  training_data: string | null;
  generated_by: string | null;
};

function toRecord(row: VersionRow): ModelVersionRecord {
  return {
    arn: row.arn,
    accountId: row.account_id,
    groupName: row.group_name,
    version: row.version,
    approvalStatus: row.approval_status,
    ...(row.approval_description
      ? { approvalDescription: row.approval_description }
      : {}),
    ...(row.created_by ? { createdBy: row.created_by } : {}),
    createdAt: new Date(row.created_at),
    lastModifiedAt: new Date(row.last_modified_at),
    metadata: row.metadata ? JSON.parse(row.metadata) : {},
    ...(row.source_arn ? { sourceArn: row.source_arn } : {}),
    ...(row.model_data_url ? { modelDataUrl: row.model_data_url } : {}),
    ...(row.project_id ? { projectId: row.project_id } : {}),
    ...(row.training_data ? { trainingData: row.training_data } : {}),
    ...(row.generated_by ? { generatedBy: row.generated_by } : {}),
  };
}

/** The columns a page of versions can be sorted by. */
export type VersionSortColumn = 'version' | 'created_at' | 'last_modified_at';

const pageFilter = (byStatus: boolean) =>
  `account_id = ? and group_name = ?${
    byStatus ? ' and approval_status = ?' : ''
  }`;

/**
 * The page query, written out rather than built with knex's query builder:
 * it is the API's busiest query, and compiling it on each request was half of
 * knex's share of a listing's CPU profile (6.6% of samples before, 3.3% after).
 * Its column names come from VersionSortColumn; every value is a binding.
 */
const pageSql = (
  sortBy: VersionSortColumn,
  order: 'asc' | 'desc',
  byStatus: boolean,
) =>
  `select *, count(*) over () as total_count from ml_model_versions where ${pageFilter(
    byStatus,
  )} order by ${sortBy} ${order}, version ${order} limit ? offset ?`;

/** The rows of a raw query: PostgreSQL's driver returns a result holding them, SQLite's the rows. */
function rowsOf<T>(result: { rows: T[] } | T[]): T[] {
  return Array.isArray(result) ? result : result.rows;
}

// Groups: 5 columns a row, well within SQLite's 32,766 bound variables. Versions go as one JSON parameter a batch.
const BATCH = 1000;

/** The model package groups and versions of every account. */
export class VersionStore {
  constructor(private readonly db: Knex) {}

  /**
   * Makes an account's groups exactly `groups`: a group gone from AWS goes,
   * with its versions. Called only after a successful read of the account.
   * Returns whether a group came or went.
   */
  async replaceGroups(
    accountId: string,
    groups: ModelGroupRecord[],
  ): Promise<boolean> {
    return this.db.transaction(async tx => {
      const names = groups.map(g => g.name);
      const existing = new Set(
        (
          await tx('ml_model_groups')
            .where({ account_id: accountId })
            .select('name')
        ).map(r => r.name),
      );
      await tx('ml_model_versions')
        .where({ account_id: accountId })
        .whereNotIn('group_name', names)
        .delete();
      const removed = await tx('ml_model_groups')
        .where({ account_id: accountId })
        .whereNotIn('name', names)
        .delete();
      for (let i = 0; i < groups.length; i += BATCH) {
        await tx('ml_model_groups')
          .insert(
            groups.slice(i, i + BATCH).map(g => ({
              arn: g.arn,
              account_id: g.accountId,
              name: g.name,
              description: g.description ?? null,
              created_at: g.createdAt,
            })),
          )
          .onConflict('arn')
          .merge(['description']);
      }
      return removed > 0 || names.some(n => !existing.has(n));
    });
  }

  /**
   * Writes versions as read from AWS and appends to the approval history each
   * state not seen before, so re-reading a version (a duplicate event, an
   * overlapping sync) adds nothing. Returns the versions whose state was new.
   */
  async upsertVersions(
    versions: ModelVersionRecord[],
  ): Promise<ModelVersionRecord[]> {
    const newStates: ModelVersionRecord[] = [];
    for (let i = 0; i < versions.length; i += BATCH) {
      newStates.push(
        ...(await upsertVersionBatch(this.db, versions.slice(i, i + BATCH))),
      );
    }
    return newStates;
  }

  /** A version's approval states, oldest first. */
  async history(arn: string): Promise<ApprovalRecord[]> {
    const rows = await this.db('ml_version_history')
      .where({ arn })
      .orderBy('id');
    return rows.map(r => ({
      approvalStatus: r.approval_status,
      ...(r.approval_description
        ? { approvalDescription: r.approval_description }
        : {}),
      ...(r.changed_by ? { changedBy: r.changed_by } : {}),
      changedAt: new Date(r.changed_at),
    }));
  }

  /** Every group with its newest and newest approved version, project and training data. */
  async groupSummaries(): Promise<GroupSummary[]> {
    const [rows, lineage] = await Promise.all([
      this.groupsWithLatest(),
      this.lineageByGroup(),
    ]);
    return rows.map(r => {
      const extra = lineage.get(`${r.account_id}/${r.name}`);
      return {
        arn: r.arn,
        accountId: r.account_id,
        name: r.name,
        ...(r.description ? { description: r.description } : {}),
        createdAt: new Date(r.created_at),
        ...(r.latest !== null ? { latestVersion: Number(r.latest) } : {}),
        ...(r.approved !== null
          ? { latestApprovedVersion: Number(r.approved) }
          : {}),
        ...(extra?.projectId ? { projectId: extra.projectId } : {}),
        trainingData: [...(extra?.trainingData ?? [])].sort(),
      };
    });
  }

  /** Each group's row beside each of its versions' (one row of nulls for a group without versions). */
  private groupsWithVersions() {
    return this.db('ml_model_groups as g').leftJoin(
      'ml_model_versions as v',
      function joinVersions() {
        this.on('v.account_id', 'g.account_id').andOn('v.group_name', 'g.name');
      },
    );
  }

  /** Every group's row with its newest version and newest approved version. */
  private async groupsWithLatest(): Promise<any[]> {
    return this.groupsWithVersions()
      .groupBy([...GROUP_COLUMNS, 'g.created_at'])
      .select(
        'g.arn',
        'g.account_id',
        'g.name',
        'g.description',
        'g.created_at',
      )
      .max({ latest: 'v.version' })
      .max({
        approved: this.db.raw(
          "case when v.approval_status = 'Approved' then v.version end",
        ),
      })
      .orderBy(['g.account_id', 'g.name']);
  }

  /**
   * By `<account id>/<group name>`, the project of the group's newest version
   * that has one and every training data location of its versions.
   */
  private async lineageByGroup(): Promise<
    Map<string, { projectId?: string; trainingData: Set<string> }>
  > {
    const rows = await this.db('ml_model_versions')
      .where(q => q.whereNotNull('project_id').orWhereNotNull('training_data'))
      .select(
        'account_id',
        'group_name',
        'version',
        'project_id',
        'training_data',
      )
      .orderBy('version', 'desc');
    const byGroup = new Map<
      string,
      { projectId?: string; trainingData: Set<string> }
    >();
    for (const row of rows) {
      const key = `${row.account_id}/${row.group_name}`;
      const entry = byGroup.get(key) ?? { trainingData: new Set<string>() };
      entry.projectId ??= row.project_id ?? undefined;
      if (row.training_data) entry.trainingData.add(row.training_data);
      byGroup.set(key, entry);
    }
    return byGroup;
  }

  async allGroups(): Promise<ModelGroupRecord[]> {
    const rows = await this.db('ml_model_groups').orderBy([
      'account_id',
      'name',
    ]);
    return rows.map(r => ({
      arn: r.arn,
      accountId: r.account_id,
      name: r.name,
      ...(r.description ? { description: r.description } : {}),
      createdAt: new Date(r.created_at),
    }));
  }

  /**
   * For each group holding promoted versions, the groups those versions came
   * from (read off each version's source ARN).
   */
  async promotionSources(): Promise<
    Map<string, { accountId: string; groupName: string }[]>
  > {
    const rows = await this.db('ml_model_versions as v')
      .join('ml_model_groups as g', function joinGroup() {
        this.on('g.account_id', 'v.account_id').andOn('g.name', 'v.group_name');
      })
      .whereNotNull('v.source_arn')
      .where(whereSourceTrusted(this.db, 'v'))
      .distinct('g.arn as group_arn', 'v.source_arn as source_arn');
    const sources = new Map<
      string,
      { accountId: string; groupName: string }[]
    >();
    for (const row of rows) {
      const source = parseModelPackageArn(String(row.source_arn));
      if (!source) continue;
      const list = sources.get(row.group_arn) ?? [];
      if (
        !list.some(
          s => s.accountId === source.accountId && s.groupName === source.group,
        )
      ) {
        list.push({ accountId: source.accountId, groupName: source.group });
      }
      sources.set(row.group_arn, list);
    }
    return sources;
  }

  async listGroups(accountId: string): Promise<string[]> {
    const rows = await this.db('ml_model_groups')
      .where({ account_id: accountId })
      .orderBy('name')
      .select('name');
    return rows.map(r => r.name);
  }

  async listVersions(
    filter: { accountId?: string; groupName?: string } = {},
  ): Promise<ModelVersionRecord[]> {
    const query = this.db<VersionRow>('ml_model_versions').orderBy([
      { column: 'account_id' },
      { column: 'group_name' },
      { column: 'version' },
    ]);
    if (filter.accountId) query.where('account_id', filter.accountId);
    if (filter.groupName) query.where('group_name', filter.groupName);
    return (await query).map(toRecord);
  }

  /** Groups with their version counts by status, optionally only those holding a version in `status`. */
  async modelStats(
    filter: { accountIds?: string[]; status?: string } = {},
  ): Promise<ModelStats[]> {
    const query = this.groupsWithVersions()
      .groupBy([...GROUP_COLUMNS, 'v.approval_status'])
      .select(
        'g.arn',
        'g.account_id',
        'g.name',
        'g.description',
        'v.approval_status',
      )
      .count({ n: 'v.arn' })
      .max({ latest: 'v.version' })
      .orderBy(['g.account_id', 'g.name']);
    if (filter.accountIds) query.whereIn('g.account_id', filter.accountIds);
    const rows: any[] = await query;
    const groups = new Map<string, ModelStats>();
    for (const row of rows) {
      const group: ModelStats = groups.get(row.arn) ?? {
        arn: row.arn,
        accountId: row.account_id,
        name: row.name,
        ...(row.description ? { description: row.description } : {}),
        versions: 0,
        statusCounts: {},
      };
      const n = Number(row.n);
      if (row.approval_status && n > 0) {
        group.statusCounts[row.approval_status] = n;
        group.versions += n;
        group.latestVersion = Math.max(
          group.latestVersion ?? 0,
          Number(row.latest),
        );
      }
      groups.set(row.arn, group);
    }
    return [...groups.values()].filter(
      g => !filter.status || (g.statusCounts[filter.status] ?? 0) > 0,
    );
  }

  /** One page of a group's versions. */
  async versionsPage(
    accountId: string,
    groupName: string,
    page: {
      offset: number;
      limit: number;
      sortBy: VersionSortColumn;
      order: 'asc' | 'desc';
      status?: string;
    },
  ): Promise<{ items: ModelVersionRecord[]; totalCount: number }> {
    const filter = [
      accountId,
      groupName,
      ...(page.status ? [page.status] : []),
    ];
    // One query for the page and the total (a window count); a second only past the last page.
    const rows: (VersionRow & { total_count: number | string })[] = rowsOf(
      await this.db.raw(pageSql(page.sortBy, page.order, !!page.status), [
        ...filter,
        page.limit,
        page.offset,
      ]),
    );
    if (rows.length > 0)
      return {
        items: rows.map(toRecord),
        totalCount: Number(rows[0].total_count),
      };
    const [{ n }] = rowsOf<{ n: number | string }>(
      await this.db.raw(
        `select count(*) as n from ml_model_versions where ${pageFilter(
          !!page.status,
        )}`,
        filter,
      ),
    );
    return { items: [], totalCount: Number(n) };
  }

  async getVersion(arn: string): Promise<ModelVersionRecord | undefined> {
    const row = await this.db<VersionRow>('ml_model_versions')
      .where({ arn })
      .first();
    return row ? toRecord(row) : undefined;
  }

  /**
   * The account's versions approved while this plugin watched (their history
   * holds an earlier state) that have no central copy: those promotion owes.
   * Versions first seen already approved predate the plugin and are left alone.
   */
  async approvedWithoutCentralCopy(accountId: string): Promise<string[]> {
    const rows = await this.db('ml_model_versions as v')
      .where({ 'v.account_id': accountId, 'v.approval_status': 'Approved' })
      .whereNotExists(q =>
        q
          .select(this.db.raw('1'))
          .from('ml_model_versions as c')
          .whereRaw('c.source_arn = v.arn')
          .where(whereSourceTrusted(this.db, 'c')),
      )
      .whereExists(q =>
        q
          .select(this.db.raw('1'))
          .from('ml_version_history as h')
          .whereRaw('h.arn = v.arn')
          .whereNot('h.approval_status', 'Approved'),
      )
      .select('v.arn')
      .orderBy('v.arn');
    return rows.map(r => r.arn);
  }

  /** The versions promoted from `arn` (central copies of a dev version). */
  async promotedFrom(arn: string): Promise<ModelVersionRecord[]> {
    const rows = await this.db('ml_model_versions as v')
      .where('v.source_arn', arn)
      .where(whereSourceTrusted(this.db, 'v'))
      .orderBy('v.account_id')
      .select('v.*');
    return rows.map(toRecord);
  }
}
