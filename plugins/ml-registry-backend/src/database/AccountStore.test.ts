import { TestDatabases } from '@backstage/backend-test-utils';
import { SANDBOX_ML_ACCOUNTS } from '@ml-governance/aws-sandbox';
import { AccountStore } from './AccountStore';
import { migrateDatabase } from './migrateDatabase';
import { DATABASES } from '../__testUtils__/databases';

const { fraud: fraudDev, shared } = SANDBOX_ML_ACCOUNTS;

describe('AccountStore', () => {
  const databases = TestDatabases.create({ ids: DATABASES });

  async function createStore(databaseId: (typeof DATABASES)[number]) {
    const knex = await databases.init(databaseId);
    await migrateDatabase(knex);
    return new AccountStore(knex);
  }

  it('runs on every supported database', () => {
    expect(databases.eachSupportedId().map(([id]) => id)).toEqual(DATABASES);
  });

  it.each(databases.eachSupportedId())(
    'keeps sync state across a config reload, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      await store.replaceAccounts([fraudDev, shared]);
      expect(await store.listAccounts()).toEqual([
        { ...fraudDev, stale: true },
        { ...shared, stale: true },
      ]);

      const syncedAt = new Date('2026-11-25T10:00:00.000Z');
      await store.recordSuccess(fraudDev.accountId, syncedAt);
      await store.recordFailure(shared.accountId, 'AccessDenied', syncedAt);

      // The shared account is renamed and another one dropped from config.
      await store.replaceAccounts([
        { ...fraudDev, team: 'group:default/risk' },
      ]);
      expect(await store.listAccounts()).toEqual([
        {
          ...fraudDev,
          team: 'group:default/risk',
          lastSyncAt: syncedAt.toISOString(),
          stale: false,
        },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'marks a failed account stale but keeps its last good sync, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      await store.replaceAccounts([shared]);
      const good = new Date('2026-11-25T10:00:00.000Z');
      await store.recordSuccess(shared.accountId, good);
      await store.recordFailure(
        shared.accountId,
        'ThrottlingException',
        new Date(),
      );
      expect(await store.listAccounts()).toEqual([
        {
          ...shared,
          lastSyncAt: good.toISOString(),
          lastError: 'ThrottlingException',
          stale: true,
        },
      ]);
    },
  );
});
