import { TestDatabases } from '@backstage/backend-test-utils';
import { DATABASES } from '../__testUtils__/databases';
import { migrateDatabase } from './migrateDatabase';
import { ModelVersionRecord, VersionStore } from './VersionStore';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 4, 10, minute));

/** Version n of churn: created in order, modified in the reverse order, every other one approved. */
function version(n: number): ModelVersionRecord {
  return {
    arn: `arn:aws:sagemaker:us-east-1:222222222222:model-package/churn/${n}`,
    accountId: '222222222222',
    groupName: 'churn',
    version: n,
    approvalStatus: n % 2 ? 'Approved' : 'PendingManualApproval',
    createdAt: at(n),
    lastModifiedAt: at(10 - n),
    metadata: {},
  };
}

describe('VersionStore.versionsPage (the listing query written out)', () => {
  const databases = TestDatabases.create({ ids: DATABASES });

  it.each(databases.eachSupportedId())(
    'sorts, filters, pages and counts, past the last page too, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateDatabase(knex);
      const store = new VersionStore(knex);
      await store.upsertVersions([1, 2, 3, 4, 5].map(version));
      const page = (
        sortBy: 'version' | 'created_at' | 'last_modified_at',
        order: 'asc' | 'desc',
        offset = 0,
        status?: string,
      ) =>
        store
          .versionsPage('222222222222', 'churn', {
            offset,
            limit: 2,
            sortBy,
            order,
            ...(status ? { status } : {}),
          })
          .then(p => ({
            versions: p.items.map(v => v.version),
            totalCount: p.totalCount,
          }));

      expect(await page('version', 'desc')).toEqual({
        versions: [5, 4],
        totalCount: 5,
      });
      expect(await page('created_at', 'asc', 1)).toEqual({
        versions: [2, 3],
        totalCount: 5,
      });
      expect(await page('last_modified_at', 'asc')).toEqual({
        versions: [5, 4],
        totalCount: 5,
      });
      expect(await page('version', 'asc', 0, 'Approved')).toEqual({
        versions: [1, 3],
        totalCount: 3,
      });
      expect(await page('version', 'asc', 9, 'Approved')).toEqual({
        versions: [],
        totalCount: 3,
      });
      expect(
        await store.versionsPage('222222222222', 'other', {
          offset: 0,
          limit: 2,
          sortBy: 'version',
          order: 'asc',
        }),
      ).toEqual({ items: [], totalCount: 0 });
      expect(
        (
          await store.versionsPage('222222222222', 'churn', {
            offset: 0,
            limit: 1,
            sortBy: 'version',
            order: 'asc',
          })
        ).items,
      ).toEqual([version(1)]);
    },
  );
});
