import { Knex } from 'knex';
import { ModelCardSummary } from '@ml-governance/plugin-ml-registry-common';
import { WithDates } from './withDates';

/** The latest version of a model's card, as the REST API serves it. */
export type ModelCardRecord = WithDates<ModelCardSummary, 'lastModifiedAt'>;

function toRecord(row: any): ModelCardRecord {
  return {
    arn: row.arn,
    accountId: row.account_id,
    name: row.name,
    version: Number(row.version),
    status: row.status,
    ...(row.content ? { content: row.content } : {}),
    lastModifiedAt: new Date(row.last_modified_at),
  };
}

/** The latest version of every account's model cards. */
export class ModelCardStore {
  constructor(private readonly db: Knex) {}

  /**
   * Makes an account's cards exactly those named in `present`, writing the
   * `changed` ones; cards not in `changed` keep their stored content.
   */
  async replace(
    accountId: string,
    present: string[],
    changed: ModelCardRecord[],
  ): Promise<void> {
    await this.db.transaction(async tx => {
      await tx('ml_model_cards')
        .where({ account_id: accountId })
        .whereNotIn('name', present)
        .delete();
      for (const c of changed) {
        await tx('ml_model_cards')
          .insert({
            arn: c.arn,
            account_id: c.accountId,
            name: c.name,
            version: c.version,
            status: c.status,
            content: c.content ?? null,
            last_modified_at: c.lastModifiedAt,
          })
          .onConflict('arn')
          .merge();
      }
    });
  }

  /** When each stored card was last modified (epoch ms), to tell which changed. */
  async modifiedTimes(accountId: string): Promise<Map<string, number>> {
    const rows = await this.db('ml_model_cards')
      .where({ account_id: accountId })
      .select('name', 'last_modified_at');
    return new Map(
      rows.map(r => [r.name, new Date(r.last_modified_at).getTime()]),
    );
  }

  async get(
    accountId: string,
    name: string,
  ): Promise<ModelCardRecord | undefined> {
    const row = await this.db('ml_model_cards')
      .where({ account_id: accountId, name })
      .first();
    return row ? toRecord(row) : undefined;
  }
}
