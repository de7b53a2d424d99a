import { TestDatabases } from '@backstage/backend-test-utils';
import { migrateDatabase } from './migrateDatabase';
import { PromotionStore } from './PromotionStore';
import { DATABASES } from '../__testUtils__/databases';

const DEV_ARN =
  'arn:aws:sagemaker:us-east-1:222222222222:model-package/fraud-detection/7';

describe('PromotionStore', () => {
  const databases = TestDatabases.create({ ids: DATABASES });

  /** Two replicas' stores on one database. */
  async function replicas(databaseId: (typeof DATABASES)[number]) {
    const knex = await databases.init(databaseId);
    await migrateDatabase(knex);
    return [new PromotionStore(knex), new PromotionStore(knex)] as const;
  }

  it.each(databases.eachSupportedId())(
    'lets exactly one of replicas racing for a promotion run it, on %p',
    async databaseId => {
      const [a, b] = await replicas(databaseId);
      for (let round = 0; round < 5; round++) {
        const devArn = `${DEV_ARN}${round}`;
        const won = await Promise.all([
          a.claim(devArn, 'replica-a', 60_000),
          b.claim(devArn, 'replica-b', 60_000),
        ]);
        expect(won.filter(Boolean)).toHaveLength(1);
        // The holder may claim again (a second trigger in its own process); the other may not.
        const [holder, other] = won[0]
          ? ['replica-a', 'replica-b']
          : ['replica-b', 'replica-a'];
        expect(await a.claim(devArn, holder, 60_000)).toBe(true);
        expect(await b.claim(devArn, other, 60_000)).toBe(false);
        expect(await b.record(devArn, other, { step: 'group' }, 60_000)).toBe(
          false,
        );
        expect(await a.get(devArn)).toMatchObject({
          status: 'running',
          step: 'read',
        });
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'hands a running promotion whose replica died to another once its lease expired, on %p',
    async databaseId => {
      const [dead, alive] = await replicas(databaseId);
      expect(await dead.claim(DEV_ARN, 'dead', 200)).toBe(true);
      expect(
        await dead.record(DEV_ARN, 'dead', { step: 'artifacts' }, 200),
      ).toBe(true);
      expect(await alive.claim(DEV_ARN, 'alive', 60_000)).toBe(false);
      await new Promise(r => setTimeout(r, 300));

      expect(await alive.claim(DEV_ARN, 'alive', 60_000)).toBe(true);
      // The dead replica, were it only slow, may no longer write what it did.
      expect(
        await dead.record(
          DEV_ARN,
          'dead',
          { status: 'failed', error: 'late' },
          200,
        ),
      ).toBe(false);
      expect(
        await alive.record(
          DEV_ARN,
          'alive',
          {
            centralArn:
              'arn:aws:sagemaker:us-east-1:111111111111:model-package/x/1',
            status: 'done',
          },
          60_000,
        ),
      ).toBe(true);
      expect(await alive.get(DEV_ARN)).toMatchObject({
        status: 'done',
        step: 'artifacts',
        centralArn: expect.stringContaining(':111111111111:'),
      });
      expect(await alive.get(DEV_ARN)).not.toHaveProperty('error');
    },
  );

  it.each(databases.eachSupportedId())(
    'frees a promotion when its holder records it done or failed, on %p',
    async databaseId => {
      const [a, b] = await replicas(databaseId);
      const devArn = `${DEV_ARN}9`;
      expect(await a.claim(devArn, 'a', 60_000)).toBe(true);
      expect(
        await a.record(
          devArn,
          'a',
          { status: 'failed', step: 'check', error: 'refused' },
          60_000,
        ),
      ).toBe(true);
      expect(await a.get(devArn)).toMatchObject({
        status: 'failed',
        step: 'check',
        error: 'refused',
      });
      // A retry from any replica takes it at once; the failure's error is cleared.
      expect(await b.claim(devArn, 'b', 60_000)).toBe(true);
      expect(await b.get(devArn)).toMatchObject({ status: 'running' });
      expect(await b.get(devArn)).not.toHaveProperty('error');
    },
  );
});
