import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@ml-governance/plugin-ml-registry-backend',
  'migrations',
);

const LOCK_TABLE = 'knex_migrations_lock';

/**
 * Brings the plugin's schema up to date; safe to run from several replicas at
 * once. Knex serialises migrations with the one row of its lock table, but
 * does not wait for it: a replica finding it held gets MigrationLocked at once
 * and tries again until the holder is done (at most `lockTimeoutMs`).
 * Replicas starting together on an empty database race to create that table
 * (the loser tries again) and can both insert its row; with two rows knex
 * never takes the lock again, so a second row is removed.
 */
export async function migrateDatabase(
  knex: Knex,
  lockTimeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + lockTimeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await knex.migrate.latest({ directory: migrationsDir });
      return;
    } catch (e) {
      const locked = (e as Error).name === 'MigrationLocked';
      if (Date.now() > deadline || (!locked && attempt >= 3)) throw e;
      if (locked) await keepOneLockRow(knex);
      await new Promise(r =>
        setTimeout(r, Math.min(1000, 100 * attempt) + Math.random() * 200),
      );
    }
  }
}

async function keepOneLockRow(knex: Knex) {
  const rows: { index: number }[] = await knex(LOCK_TABLE)
    .select('index')
    .orderBy('index');
  if (rows.length > 1)
    await knex(LOCK_TABLE).where('index', '>', rows[0].index).delete();
}
