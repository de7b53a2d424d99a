import { Knex } from 'knex';

const PACKAGE_ARN = /^(arn:aws[a-z-]*:sagemaker:[^:]+:\d{12}:model-package\/[^/]+\/)\d+$/;
const CENTRAL_GROUP = /:model-package\/([^/]+)\/\d+$/;

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

  /**
   * The central group that other versions of `devArn`'s dev group were
   * promoted into, so a group keeps promoting where its first version went:
   * found in this store's records, else in the source ARN central packages
   * carry (versions promoted outside Backstage, as the sync read them).
   * Undefined when no version of the group was promoted yet.
   */
  async earlierCentralGroup(devArn: string): Promise<string | undefined> {
    const match = devArn.match(PACKAGE_ARN);
    if (!match) throw new Error(`Not a versioned model package ARN: ${devArn}`);
    // Group names hold only letters, digits and hyphens: nothing LIKE reads as a wildcard.
    const versionsOfGroup = `${match[1]}%`;
    const promoted = await this.db('ml_promotions')
      .where('dev_arn', 'like', versionsOfGroup)
      .whereNotNull('central_arn')
      .orderBy('updated_at', 'desc')
      .first('central_arn');
    if (promoted) return String(promoted.central_arn).match(CENTRAL_GROUP)?.[1];
    const copy = await this.db('ml_model_versions')
      .where('source_arn', 'like', versionsOfGroup)
      .orderBy('created_at', 'desc')
      .first('group_name');
    return copy?.group_name;
  }
}
