import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@ml-governance/plugin-ml-registry-backend',
  'migrations',
);

/**
 * Brings the plugin's schema up to date; safe to run from several replicas at
 * once. Knex serialises migrations with its lock table, but replicas starting
 * together on an empty database race to create that table: the loser retries
 * and then waits on the lock like any other.
 */
export async function migrateDatabase(knex: Knex, attempts = 3): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await knex.migrate.latest({ directory: migrationsDir });
      return;
    } catch (e) {
      if (attempt >= attempts) throw e;
      await new Promise(r => setTimeout(r, 200 * attempt + Math.random() * 200));
    }
  }
}
