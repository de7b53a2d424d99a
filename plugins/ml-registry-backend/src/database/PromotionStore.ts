import { Knex } from 'knex';
import { parseModelPackageArn } from '@ml-governance/plugin-ml-registry-common';
import { whereSourceTrusted } from '../lineage/trustedSource';

export interface PromotionRecord {
  devArn: string;
  centralArn?: string;
  status: 'running' | 'done' | 'failed';
  /** The last step reached: group, artifacts, package, card. */
  step?: string;
  error?: string;
  updatedAt: Date;
  /** Until when the replica running it holds it; only while running. */
  leaseExpiresAt?: Date;
}

/** What a promotion's holder records as it goes. */
export type PromotionProgress = Partial<
  Pick<PromotionRecord, 'centralArn' | 'status' | 'step' | 'error'>
>;

/**
 * Where each promotion of a dev version to the central registry stands, and
 * which replica runs it: one holds a promotion's lease at a time, renews it
 * while working, and gives it up when the promotion is done or failed; a
 * lease left by a replica that died expires, and another takes it over.
 */
export class PromotionStore {
  constructor(private readonly db: Knex) {}

  /**
   * Takes the lease of `devArn`'s promotion for `owner` for `leaseMs`, marking
   * it running, unless another holder's lease is still in force: one
   * conditional update, so of replicas racing for it exactly one wins.
   */
  async claim(
    devArn: string,
    owner: string,
    leaseMs: number,
  ): Promise<boolean> {
    const now = new Date();
    // A first promotion's row, free to take: running with no lease.
    await this.db('ml_promotions')
      .insert({
        dev_arn: devArn,
        status: 'running',
        step: 'read',
        updated_at: now,
      })
      .onConflict('dev_arn')
      .ignore();
    const taken = await this.db('ml_promotions')
      .where({ dev_arn: devArn })
      .andWhere(free =>
        free
          .where({ lease_owner: owner })
          .orWhereNot({ status: 'running' })
          .orWhereNull('lease_expires_at')
          .orWhere('lease_expires_at', '<', now),
      )
      .update({
        status: 'running',
        error: null,
        lease_owner: owner,
        lease_expires_at: new Date(now.getTime() + leaseMs),
        updated_at: now,
      });
    return taken === 1;
  }

  /**
   * Records progress of a promotion `owner` holds; a final status (done,
   * failed) gives the lease up, any other extends it by `leaseMs`. False when
   * the lease is no longer `owner`'s: another replica took it over.
   */
  async record(
    devArn: string,
    owner: string,
    progress: PromotionProgress,
    leaseMs: number,
  ): Promise<boolean> {
    const now = new Date();
    const final = progress.status === 'done' || progress.status === 'failed';
    const updated = await this.db('ml_promotions')
      .where({ dev_arn: devArn, lease_owner: owner })
      .update({
        ...(progress.centralArn ? { central_arn: progress.centralArn } : {}),
        ...(progress.status ? { status: progress.status } : {}),
        ...(progress.step ? { step: progress.step } : {}),
        ...(progress.error !== undefined ? { error: progress.error } : {}),
        lease_owner: final ? null : owner,
        lease_expires_at: final ? null : new Date(now.getTime() + leaseMs),
        updated_at: now,
      });
    return updated === 1;
  }

  async get(devArn: string): Promise<PromotionRecord | undefined> {
    const row = await this.db('ml_promotions')
      .where({ dev_arn: devArn })
      .first();
    return row
      ? {
          devArn: row.dev_arn,
          ...(row.central_arn ? { centralArn: row.central_arn } : {}),
          status: row.status,
          ...(row.step ? { step: row.step } : {}),
          ...(row.error ? { error: row.error } : {}),
          updatedAt: new Date(row.updated_at),
          ...(row.status === 'running' && row.lease_expires_at
            ? { leaseExpiresAt: new Date(row.lease_expires_at) }
            : {}),
        }
      : undefined;
  }

  /**
   * The central group that other versions of `devArn`'s dev group were
   * promoted into, so a group keeps promoting where its first version went:
   * found in this store's records, else in the source ARN central packages
   * carry (versions promoted outside Backstage, as the sync read them), where
   * trusted (lineage/trustedSource.ts).
   * Undefined when no version of the group was promoted yet.
   */
  async earlierCentralGroup(devArn: string): Promise<string | undefined> {
    if (!parseModelPackageArn(devArn))
      throw new Error(`Not a versioned model package ARN: ${devArn}`);
    // Group names hold only letters, digits and hyphens: nothing LIKE reads as a wildcard.
    const versionsOfGroup = `${devArn.slice(0, devArn.lastIndexOf('/') + 1)}%`;
    const promoted = await this.db('ml_promotions')
      .where('dev_arn', 'like', versionsOfGroup)
      .whereNotNull('central_arn')
      .orderBy('updated_at', 'desc')
      .first('central_arn');
    if (promoted)
      return parseModelPackageArn(String(promoted.central_arn))?.group;
    const copy = await this.db('ml_model_versions as v')
      .where('v.source_arn', 'like', versionsOfGroup)
      .where(whereSourceTrusted(this.db, 'v'))
      .orderBy('v.created_at', 'desc')
      .first('v.group_name');
    return copy?.group_name;
  }
}
