import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@ml-governance/plugin-ml-registry-backend',
  'migrations',
);

/** Brings the plugin's schema up to date; safe to run from several replicas at once. */
export async function migrateDatabase(knex: Knex): Promise<void> {
  await knex.migrate.latest({ directory: migrationsDir });
}
