import { Knex } from 'knex';

/** A SageMaker project or Studio domain of one account. */
export interface AccountResourceRecord {
  arn: string;
  accountId: string;
  kind: 'project' | 'domain';
  /** ProjectId or DomainId. */
  resourceId: string;
  name: string;
  description?: string;
  status?: string;
  createdAt: Date;
}

/** The SageMaker projects and Studio domains of every account. */
export class ResourceStore {
  constructor(private readonly db: Knex) {}

  /**
   * Makes an account's resources of `kind` exactly `records`, after a
   * successful read. Returns whether any came or went.
   */
  async replace(
    accountId: string,
    kind: AccountResourceRecord['kind'],
    records: AccountResourceRecord[],
  ): Promise<boolean> {
    return this.db.transaction(async tx => {
      const existing = new Set(
        (
          await tx('ml_resources')
            .where({ account_id: accountId, kind })
            .select('arn')
        ).map(r => r.arn),
      );
      const removed = await tx('ml_resources')
        .where({ account_id: accountId, kind })
        .whereNotIn(
          'arn',
          records.map(r => r.arn),
        )
        .delete();
      for (const r of records) {
        await tx('ml_resources')
          .insert({
            arn: r.arn,
            account_id: r.accountId,
            kind: r.kind,
            resource_id: r.resourceId,
            name: r.name,
            description: r.description ?? null,
            status: r.status ?? null,
            created_at: r.createdAt,
          })
          .onConflict('arn')
          .merge();
      }
      return removed > 0 || records.some(r => !existing.has(r.arn));
    });
  }

  async list(
    kind?: AccountResourceRecord['kind'],
  ): Promise<AccountResourceRecord[]> {
    const query = this.db('ml_resources').orderBy([
      'account_id',
      'kind',
      'name',
    ]);
    if (kind) query.where({ kind });
    return (await query).map(row => ({
      arn: row.arn,
      accountId: row.account_id,
      kind: row.kind,
      resourceId: row.resource_id,
      name: row.name,
      ...(row.description ? { description: row.description } : {}),
      ...(row.status ? { status: row.status } : {}),
      createdAt: new Date(row.created_at),
    }));
  }
}
