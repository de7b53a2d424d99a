import { Knex } from 'knex';

export interface PromotionRecord {
  devArn: string;
  centralArn?: string;
  status: 'running' | 'done' | 'failed';
  /** The last step reached: group, artifacts, package, card. */
  step?: string;
  error?: string;
  updatedAt: Date;
}

/** Where each promotion of a dev version to the central registry stands. */
export class PromotionStore {
  constructor(private readonly db: Knex) {}

  async save(record: Omit<PromotionRecord, 'updatedAt'>): Promise<void> {
    await this.db('ml_promotions')
      .insert({
        dev_arn: record.devArn, central_arn: record.centralArn ?? null, status: record.status,
        step: record.step ?? null, error: record.error ?? null, updated_at: new Date(),
      })
      .onConflict('dev_arn')
      .merge();
  }

  async get(devArn: string): Promise<PromotionRecord | undefined> {
    const row = await this.db('ml_promotions').where({ dev_arn: devArn }).first();
    return row
      ? {
          devArn: row.dev_arn,
          ...(row.central_arn ? { centralArn: row.central_arn } : {}),
          status: row.status,
          ...(row.step ? { step: row.step } : {}),
          ...(row.error ? { error: row.error } : {}),
          updatedAt: new Date(row.updated_at),
        }
      : undefined;
  }
}
