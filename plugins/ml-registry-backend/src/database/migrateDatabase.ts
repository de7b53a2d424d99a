import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@ml-governance/plugin-ml-registry-backend',
  'migrations',
);

/**
 * Brings the plugin's schema up to date; safe to run from several replicas at
 * once. Knex serialises migrations with its lock table but does not wait for
 * the lock: a replica finding it held gets MigrationLocked at once, so it
 * tries again until the holder is done (at most `lockTimeoutMs`). Replicas
 * starting together on an empty database also race to create the lock table;
 * the loser of that race tries again a few times.
 */
export async function migrateDatabase(knex: Knex, lockTimeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + lockTimeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await knex.migrate.latest({ directory: migrationsDir });
      return;
    } catch (e) {
      const locked = (e as Error).name === 'MigrationLocked';
      if (Date.now() > deadline || (!locked && attempt >= 3)) throw e;
      await new Promise(r => setTimeout(r, Math.min(1000, 100 * attempt) + Math.random() * 200));
    }
  }
}
