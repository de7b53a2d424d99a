// The new app's backends keep their data in PostgreSQL, one database each
// (every plugin in its own schema of it), created for the run and dropped
// after it, so a run never sees an earlier one's catalog.
import pg from 'pg';

const SERVER = { host: '127.0.0.1', port: 5432, user: 'postgres' };

/** Creates the databases named; `drop()` removes them again. */
export async function createDatabases(names) {
  const admin = new pg.Client({ ...SERVER, database: 'postgres' });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(
      `the fresh-app test needs PostgreSQL at ${SERVER.host}:${SERVER.port} (user ${SERVER.user}, trust auth; test.sh starts it): ${e.message}`,
    );
  }
  for (const name of names) {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  }
  return {
    async drop() {
      for (const name of names) {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
      await admin.end();
    },
  };
}
