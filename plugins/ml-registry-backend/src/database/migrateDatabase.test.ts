import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { knex as knexFactory } from 'knex';
import { DATABASES } from '../__testUtils__/databases';
import { migrateDatabase } from './migrateDatabase';

describe('migrateDatabase', () => {
  const databases = TestDatabases.create({ ids: DATABASES });

  it.each(databases.eachSupportedId())(
    'recovers the lock table two replicas created together, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      // What two replicas starting at once on an empty database can leave: two lock rows,
      // with which knex reports the lock as held on every try.
      await knex.schema.createTable('knex_migrations_lock', table => {
        table.increments('index').primary();
        table.integer('is_locked');
      });
      await knex('knex_migrations_lock').insert([
        { is_locked: 0 },
        { is_locked: 0 },
      ]);

      await migrateDatabase(knex, 10_000);
      expect(await knex('knex_migrations_lock').select('is_locked')).toEqual([
        { is_locked: 0 },
      ]);
      expect(await knex.schema.hasTable('ml_model_versions')).toBe(true);
    },
  );

  it('lets two replicas migrate one empty PostgreSQL database at the same moment, round after round', async () => {
    for (let round = 0; round < 5; round++) {
      const first = await databases.init('POSTGRES_15');
      const second = knexFactory({
        client: 'pg',
        connection: (first.client.config as any).connection,
      });
      try {
        await Promise.all([migrateDatabase(first), migrateDatabase(second)]);
        expect(await first('knex_migrations_lock').select('is_locked')).toEqual(
          [{ is_locked: 0 }],
        );
        expect(await second.schema.hasTable('ml_model_versions')).toBe(true);
      } finally {
        await second.destroy();
      }
    }
    // Five databases created and migrated twice over: seconds on a loaded machine, not Jest's default 5.
  }, 60_000);

  it.each(databases.eachSupportedId())(
    'gives up, naming the lock, while another holds it past the timeout, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateDatabase(knex);
      await knex('knex_migrations_lock').update({ is_locked: 1 });
      await expect(migrateDatabase(knex, 500)).rejects.toThrow(
        'Migration table is already locked',
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'rolls every migration back and applies them again, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const directory = resolvePackagePath(
        '@ml-governance/plugin-ml-registry-backend',
        'migrations',
      );
      await migrateDatabase(knex);
      await knex.migrate.rollback({ directory }, true);
      expect(await knex.schema.hasTable('ml_model_versions')).toBe(false);
      await migrateDatabase(knex);
      expect(await knex.schema.hasTable('ml_model_versions')).toBe(true);
    },
  );
});
