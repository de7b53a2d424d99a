import {
  AccountStatus,
  MlAccount,
} from '@ml-governance/plugin-ml-registry-common';
import { Knex } from 'knex';

type AccountRow = {
  account_id: string;
  name: string;
  stage: string;
  team: string | null;
  last_sync_at: Date | string | null;
  last_error: string | null;
  last_error_at: Date | string | null;
  versions_cursor: Date | string | number | null;
  resources_synced_at: Date | string | number | null;
};

// SQLite hands timestamps back as strings or epoch numbers, PostgreSQL as Dates.
function toIso(value: Date | string | number | null): string | undefined {
  return value === null ? undefined : new Date(value).toISOString();
}

/** The configured accounts and the outcome of each one's last sync. */
export class AccountStore {
  constructor(private readonly db: Knex) {}

  /**
   * Makes the table hold exactly the configured accounts, keeping the sync state
   * of those that were already there.
   */
  async replaceAccounts(accounts: MlAccount[]): Promise<void> {
    await this.db.transaction(async tx => {
      const ids = accounts.map(a => a.accountId);
      await tx<AccountRow>('ml_accounts')
        .whereNotIn('account_id', ids)
        .delete();
      for (const account of accounts) {
        await tx<AccountRow>('ml_accounts')
          .insert({
            account_id: account.accountId,
            name: account.name,
            stage: account.stage,
            team: account.team ?? null,
          })
          .onConflict('account_id')
          .merge(['name', 'stage', 'team']);
      }
    });
  }

  /** Records a good sync, how far it read the versions, and whether it read projects and domains. */
  async recordSuccess(
    accountId: string,
    at: Date,
    read: { versionsCursor?: Date; resourcesSyncedAt?: Date } = {},
  ): Promise<void> {
    await this.db<AccountRow>('ml_accounts')
      .where({ account_id: accountId })
      .update({
        last_sync_at: at,
        last_error: null,
        last_error_at: null,
        ...(read.versionsCursor
          ? { versions_cursor: read.versionsCursor }
          : {}),
        ...(read.resourcesSyncedAt
          ? { resources_synced_at: read.resourcesSyncedAt }
          : {}),
      });
  }

  /** Whether the account's projects and domains are older than `maxAgeMs` (or were never read). */
  async resourcesDue(accountId: string, maxAgeMs: number): Promise<boolean> {
    const row = await this.db<AccountRow>('ml_accounts')
      .where({ account_id: accountId })
      .first('resources_synced_at');
    return (
      !row?.resources_synced_at ||
      Date.now() - new Date(row.resources_synced_at).getTime() >= maxAgeMs
    );
  }

  /** Where the next incremental sync of the account's versions starts. */
  async versionsCursor(accountId: string): Promise<Date | undefined> {
    const row = await this.db<AccountRow>('ml_accounts')
      .where({ account_id: accountId })
      .first('versions_cursor');
    return row?.versions_cursor ? new Date(row.versions_cursor) : undefined;
  }

  /** Keeps the last good sync time, so readers can tell how stale the data is. */
  async recordFailure(
    accountId: string,
    error: string,
    at: Date,
  ): Promise<void> {
    await this.db<AccountRow>('ml_accounts')
      .where({ account_id: accountId })
      .update({ last_error: error, last_error_at: at });
  }

  async listAccounts(): Promise<AccountStatus[]> {
    const rows = await this.db<AccountRow>('ml_accounts').orderBy('name');
    return rows.map(row => ({
      accountId: row.account_id,
      name: row.name,
      stage: row.stage as AccountStatus['stage'],
      ...(row.team ? { team: row.team } : {}),
      ...(row.last_sync_at ? { lastSyncAt: toIso(row.last_sync_at) } : {}),
      ...(row.last_error ? { lastError: row.last_error } : {}),
      stale: row.last_error !== null || row.last_sync_at === null,
    }));
  }
}
