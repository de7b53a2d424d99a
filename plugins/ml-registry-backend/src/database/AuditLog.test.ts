import { TestDatabases } from '@backstage/backend-test-utils';
import { DATABASES } from '../__testUtils__/databases';
import { AUDIT_TEXT_MAX, AuditLog } from './AuditLog';
import { migrateDatabase } from './migrateDatabase';

const DEV =
  'arn:aws:sagemaker:us-east-1:222222222222:model-package/fraud-detection/1';
const CENTRAL =
  'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud-detection/1';

describe('AuditLog', () => {
  const databases = TestDatabases.create({ ids: DATABASES });

  it.each(DATABASES)(
    'keeps what a caller wrote to a bounded length, on %p',
    async id => {
      const knex = await databases.init(id);
      await migrateDatabase(knex);
      const audit = new AuditLog(knex);
      await audit.append({
        actor: 'user:default/leo.lead',
        action: 'approve',
        gate: 'dev-approval',
        arn: DEV,
        result: 'denied',
        reason: 'x'.repeat(100_000),
        detail: {
          why: 'y'.repeat(100_000),
          nested: {
            list: Array.from({ length: 1000 }, () => 'z'.repeat(5000)),
          },
        },
      });
      const [entry] = await audit.list([DEV]);
      expect(entry.reason).toHaveLength(AUDIT_TEXT_MAX);
      expect(entry.detail!.why as string).toHaveLength(AUDIT_TEXT_MAX);
      expect((entry.detail!.nested as any).list).toHaveLength(50);
      expect((entry.detail!.nested as any).list[0]).toHaveLength(
        AUDIT_TEXT_MAX,
      );
    },
  );

  it.each(DATABASES)(
    'pages through a lineage oldest first, and serves the newest entries, on %p',
    async id => {
      const knex = await databases.init(id);
      await migrateDatabase(knex);
      const audit = new AuditLog(knex);
      for (let i = 0; i < 5; i++) {
        await audit.append({
          actor: 'plugin:ml-registry',
          action: 'promote',
          gate: 'promotion',
          arn: i % 2 ? CENTRAL : DEV,
          result: 'ok',
          reason: `step ${i}`,
        });
      }
      await audit.append({
        actor: 'plugin:ml-registry',
        action: 'promote',
        gate: 'promotion',
        arn: 'arn:aws:sagemaker:us-east-1:222222222222:model-package/other/1',
        result: 'ok',
      });
      const reasons: string[] = [];
      let after: number | undefined;
      do {
        const page = await audit.page([DEV, CENTRAL], {
          limit: 2,
          ...(after !== undefined ? { after } : {}),
        });
        expect(page.items.length).toBeLessThanOrEqual(2);
        reasons.push(...page.items.map(e => e.reason!));
        after = page.next;
      } while (after !== undefined);
      expect(reasons).toEqual([
        'step 0',
        'step 1',
        'step 2',
        'step 3',
        'step 4',
      ]);
      expect(
        (await audit.latest([DEV, CENTRAL], 2)).map(e => e.reason),
      ).toEqual(['step 3', 'step 4']);
    },
  );
});
