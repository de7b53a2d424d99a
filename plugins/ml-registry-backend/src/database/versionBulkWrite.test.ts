import { TestDatabases } from '@backstage/backend-test-utils';
import { DATABASES } from '../__testUtils__/databases';
import { migrateDatabase } from './migrateDatabase';
import { ModelVersionRecord, VersionStore } from './VersionStore';

const at = (minute: number) =>
  new Date(Date.UTC(2026, 11, 3, 10, minute, 0, 123));

function version(n: number, extra: Partial<ModelVersionRecord> = {}) {
  return {
    arn: `arn:aws:sagemaker:us-east-1:222222222222:model-package/churn/${n}`,
    accountId: '222222222222',
    groupName: 'churn',
    version: n,
    approvalStatus: 'PendingManualApproval',
    createdAt: at(n),
    lastModifiedAt: at(n),
    metadata: {},
    ...extra,
  } as ModelVersionRecord;
}

describe('VersionStore.upsertVersions (one statement a batch)', () => {
  const databases = TestDatabases.create({ ids: DATABASES });

  async function createStore(databaseId: (typeof DATABASES)[number]) {
    const knex = await databases.init(databaseId);
    await migrateDatabase(knex);
    return new VersionStore(knex);
  }

  it.each(databases.eachSupportedId())(
    'stores every field and reads it back, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      const full = version(1, {
        approvalStatus: 'Approved',
        approvalDescription: 'AUC "0.93", ok',
        createdBy: 'arn:aws:iam::222222222222:role/ds',
        lastModifiedBy: 'arn:aws:iam::222222222222:role/lead',
        metadata: { 'training-data': 's3://b/k', quote: 'a"b\\c' },
        sourceArn: 'arn:aws:sagemaker:us-east-1:333333333333:model-package/x/1',
        modelDataUrl: 's3://bucket/model.tar.gz',
        projectId: 'p-abc',
        trainingData: 's3://b/k',
        generatedBy:
          'arn:aws:sagemaker:us-east-1:222222222222:pipeline/p/execution/e',
      });
      const bare = version(2);
      expect(await store.upsertVersions([full, bare])).toEqual([full, bare]);
      const { lastModifiedBy: _kept, ...stored } = full;
      expect(await store.getVersion(full.arn)).toEqual(stored);
      expect(await store.getVersion(bare.arn)).toEqual(bare);
      expect(await store.history(full.arn)).toEqual([
        {
          approvalStatus: 'Approved',
          approvalDescription: 'AUC "0.93", ok',
          changedBy: 'arn:aws:iam::222222222222:role/lead',
          changedAt: at(1),
        },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'appends to the history only states not stored before, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      await store.upsertVersions([version(1), version(2), version(3)]);
      const approved = version(2, {
        approvalStatus: 'Approved',
        lastModifiedAt: at(30),
      });
      const described = version(3, {
        approvalDescription: 'looked at it',
        lastModifiedAt: at(31),
      });
      // Version 1 unchanged, 2 approved, 3 only described, 4 new.
      const newStates = await store.upsertVersions([
        version(1),
        approved,
        described,
        version(4),
      ]);
      expect(newStates.map(v => v.version)).toEqual([2, 3, 4]);
      expect(
        (await store.history(approved.arn)).map(h => h.approvalStatus),
      ).toEqual(['PendingManualApproval', 'Approved']);
      expect(await store.history(version(1).arn)).toHaveLength(1);
      expect((await store.getVersion(approved.arn))?.lastModifiedAt).toEqual(
        at(30),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the last reading of a version read twice in one batch, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      const later = version(1, {
        approvalStatus: 'Rejected',
        lastModifiedAt: at(40),
      });
      expect(await store.upsertVersions([version(1), later])).toEqual([later]);
      expect((await store.getVersion(later.arn))?.approvalStatus).toBe(
        'Rejected',
      );
      expect(
        (await store.history(later.arn)).map(h => h.approvalStatus),
      ).toEqual(['Rejected']);
    },
  );

  it.each(databases.eachSupportedId())(
    'writes more than a batch (1,000) at once, on %p',
    async databaseId => {
      const store = await createStore(databaseId);
      const many = Array.from({ length: 2500 }, (_, i) => version(i + 1));
      expect(await store.upsertVersions(many)).toHaveLength(2500);
      expect(await store.upsertVersions(many)).toEqual([]);
      const page = await store.versionsPage('222222222222', 'churn', {
        offset: 0,
        limit: 1,
        sortBy: 'version',
        order: 'desc',
      });
      expect(page.totalCount).toBe(2500);
      expect(page.items[0].version).toBe(2500);
    },
  );
});
