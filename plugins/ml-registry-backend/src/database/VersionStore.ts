import { Knex } from 'knex';

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

export interface ModelVersionRecord {
  arn: string;
  accountId: string;
  groupName: string;
  version: number;
  approvalStatus: string;
  approvalDescription?: string;
  createdBy?: string;
  createdAt: Date;
  lastModifiedAt: Date;
  metadata: Record<string, string>;
  sourceArn?: string;
  modelDataUrl?: string;
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
};

function toRecord(row: VersionRow): ModelVersionRecord {
  return {
    arn: row.arn,
    accountId: row.account_id,
    groupName: row.group_name,
    version: row.version,
    approvalStatus: row.approval_status,
    ...(row.approval_description ? { approvalDescription: row.approval_description } : {}),
    ...(row.created_by ? { createdBy: row.created_by } : {}),
    createdAt: new Date(row.created_at),
    lastModifiedAt: new Date(row.last_modified_at),
    metadata: row.metadata ? JSON.parse(row.metadata) : {},
    ...(row.source_arn ? { sourceArn: row.source_arn } : {}),
    ...(row.model_data_url ? { modelDataUrl: row.model_data_url } : {}),
  };
}

// Small enough for SQLite's limit on bound variables, large enough to be cheap.
const BATCH = 200;

/** The model package groups and versions of every account. */
export class VersionStore {
  constructor(private readonly db: Knex) {}

  /**
   * Makes an account's groups exactly `groups`: a group gone from AWS goes,
   * with its versions. Called only after a successful read of the account.
   */
  async replaceGroups(accountId: string, groups: ModelGroupRecord[]): Promise<void> {
    await this.db.transaction(async tx => {
      const names = groups.map(g => g.name);
      await tx('ml_model_versions').where({ account_id: accountId }).whereNotIn('group_name', names).delete();
      await tx('ml_model_groups').where({ account_id: accountId }).whereNotIn('name', names).delete();
      for (let i = 0; i < groups.length; i += BATCH) {
        await tx('ml_model_groups')
          .insert(groups.slice(i, i + BATCH).map(g => ({
            arn: g.arn, account_id: g.accountId, name: g.name,
            description: g.description ?? null, created_at: g.createdAt,
          })))
          .onConflict('arn')
          .merge(['description']);
      }
    });
  }

  async upsertVersions(versions: ModelVersionRecord[]): Promise<void> {
    for (let i = 0; i < versions.length; i += BATCH) {
      await this.db('ml_model_versions')
        .insert(versions.slice(i, i + BATCH).map(v => ({
          arn: v.arn, account_id: v.accountId, group_name: v.groupName, version: v.version,
          approval_status: v.approvalStatus, approval_description: v.approvalDescription ?? null,
          created_by: v.createdBy ?? null, created_at: v.createdAt, last_modified_at: v.lastModifiedAt,
          metadata: JSON.stringify(v.metadata), source_arn: v.sourceArn ?? null, model_data_url: v.modelDataUrl ?? null,
        })))
        .onConflict('arn')
        .merge();
    }
  }

  async allGroups(): Promise<ModelGroupRecord[]> {
    const rows = await this.db('ml_model_groups').orderBy(['account_id', 'name']);
    return rows.map(r => ({
      arn: r.arn, accountId: r.account_id, name: r.name,
      ...(r.description ? { description: r.description } : {}),
      createdAt: new Date(r.created_at),
    }));
  }

  /**
   * For each group holding promoted versions, the groups those versions came
   * from (read off each version's source ARN).
   */
  async promotionSources(): Promise<Map<string, { accountId: string; groupName: string }[]>> {
    const rows = await this.db('ml_model_versions as v')
      .join('ml_model_groups as g', function joinGroup() {
        this.on('g.account_id', 'v.account_id').andOn('g.name', 'v.group_name');
      })
      .whereNotNull('v.source_arn')
      .distinct('g.arn as group_arn', 'v.source_arn as source_arn');
    const sources = new Map<string, { accountId: string; groupName: string }[]>();
    for (const row of rows) {
      const match = String(row.source_arn).match(/^arn:aws[a-z-]*:sagemaker:[^:]+:(\d{12}):model-package\/([^/]+)\/\d+$/);
      if (!match) continue;
      const list = sources.get(row.group_arn) ?? [];
      if (!list.some(s => s.accountId === match[1] && s.groupName === match[2])) {
        list.push({ accountId: match[1], groupName: match[2] });
      }
      sources.set(row.group_arn, list);
    }
    return sources;
  }

  async listGroups(accountId: string): Promise<string[]> {
    const rows = await this.db('ml_model_groups').where({ account_id: accountId }).orderBy('name').select('name');
    return rows.map(r => r.name);
  }

  async listVersions(filter: { accountId?: string; groupName?: string } = {}): Promise<ModelVersionRecord[]> {
    const query = this.db<VersionRow>('ml_model_versions').orderBy([
      { column: 'account_id' }, { column: 'group_name' }, { column: 'version' },
    ]);
    if (filter.accountId) query.where('account_id', filter.accountId);
    if (filter.groupName) query.where('group_name', filter.groupName);
    return (await query).map(toRecord);
  }

  /** Groups with their version counts by status, optionally only those holding a version in `status`. */
  async modelStats(filter: { accountIds?: string[]; status?: string } = {}): Promise<ModelStats[]> {
    const query = this.db('ml_model_groups as g')
      .leftJoin('ml_model_versions as v', function joinVersions() {
        this.on('v.account_id', 'g.account_id').andOn('v.group_name', 'g.name');
      })
      .groupBy('g.arn', 'g.account_id', 'g.name', 'g.description', 'v.approval_status')
      .select('g.arn', 'g.account_id', 'g.name', 'g.description', 'v.approval_status')
      .count({ n: 'v.arn' })
      .max({ latest: 'v.version' })
      .orderBy(['g.account_id', 'g.name']);
    if (filter.accountIds) query.whereIn('g.account_id', filter.accountIds);
    const rows: any[] = await query;
    const groups = new Map<string, ModelStats>();
    for (const row of rows) {
      const group: ModelStats = groups.get(row.arn) ?? {
        arn: row.arn, accountId: row.account_id, name: row.name,
        ...(row.description ? { description: row.description } : {}),
        versions: 0, statusCounts: {},
      };
      const n = Number(row.n);
      if (row.approval_status && n > 0) {
        group.statusCounts[row.approval_status] = n;
        group.versions += n;
        group.latestVersion = Math.max(group.latestVersion ?? 0, Number(row.latest));
      }
      groups.set(row.arn, group);
    }
    return [...groups.values()].filter(g => !filter.status || (g.statusCounts[filter.status] ?? 0) > 0);
  }

  /** One page of a group's versions. */
  async versionsPage(
    accountId: string,
    groupName: string,
    page: { offset: number; limit: number; sortBy: 'version' | 'created_at' | 'last_modified_at'; order: 'asc' | 'desc'; status?: string },
  ): Promise<{ items: ModelVersionRecord[]; totalCount: number }> {
    const base = () => {
      const q = this.db<VersionRow>('ml_model_versions').where({ account_id: accountId, group_name: groupName });
      if (page.status) q.where('approval_status', page.status);
      return q;
    };
    const [{ n }] = await base().count({ n: '*' });
    const rows = await base()
      .orderBy([{ column: page.sortBy, order: page.order }, { column: 'version', order: page.order }])
      .offset(page.offset)
      .limit(page.limit);
    return { items: rows.map(toRecord), totalCount: Number(n) };
  }

  async getVersion(arn: string): Promise<ModelVersionRecord | undefined> {
    const row = await this.db<VersionRow>('ml_model_versions').where({ arn }).first();
    return row ? toRecord(row) : undefined;
  }

  /** The versions promoted from `arn` (central copies of a dev version). */
  async promotedFrom(arn: string): Promise<ModelVersionRecord[]> {
    const rows = await this.db<VersionRow>('ml_model_versions').where({ source_arn: arn }).orderBy('account_id');
    return rows.map(toRecord);
  }
}
