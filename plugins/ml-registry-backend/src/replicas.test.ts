import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Sandbox, startSdkSandbox } from '@ml-governance/aws-sandbox';
import { JsonValue } from '@backstage/types';
import request from 'supertest';
import { GATE_TEST_ACCOUNTS } from './__testUtils__/gateBackend';
import { mlRegistryPlugin } from './plugin';
import { sandboxRegistryConfig } from './__testUtils__/sandboxClients';

// The shared services account and the fraud team's.
const ACCOUNTS = GATE_TEST_ACCOUNTS.slice(0, 2);

/** Two replicas of the backend sharing one PostgreSQL database, as in production. */
describe('two backends on one PostgreSQL database', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSdkSandbox({ stepMs: 10 });
  });
  afterAll(() => sandbox.close());

  it('syncs each account once, on one of them, and both serve the result', async () => {
    const knex = await databases.init('POSTGRES_15');
    const connection = (knex.client.config as { connection: JsonValue })
      .connection;
    const replica = () =>
      startTestBackend({
        features: [
          mlRegistryPlugin,
          // The real database and scheduler services: the scheduler's lock lives in the shared database.
          databaseServiceFactory,
          schedulerServiceFactory,
          mockServices.rootConfig.factory({
            data: {
              backend: {
                database: {
                  client: 'pg',
                  connection,
                  pluginDivisionMode: 'schema',
                },
              },
              ...sandboxRegistryConfig(sandbox, {
                schedule: {
                  frequency: { minutes: 10 },
                  timeout: { seconds: 30 },
                  initialDelay: { seconds: 1 },
                },
                accounts: ACCOUNTS,
              }),
            },
          }),
        ],
      });
    sandbox.core.resetCounters();
    // One after the other: Backstage's scheduler migrates its own tables in the plugin's
    // database without retrying, and two replicas doing so at the same moment on an
    // empty database can fail on knex's lock. Our own migrations are raced in
    // database/migrateDatabase.test.ts; here both replicas then run side by side.
    const a = await replica();
    const b = await replica();

    const deadline = Date.now() + 20_000;
    let items: { stale: boolean }[] = [];
    while (Date.now() < deadline) {
      items = (await request(b.server).get('/api/ml-registry/accounts')).body
        .items;
      if (items.every(i => !i.stale)) break;
      await new Promise(r => setTimeout(r, 200));
    }
    expect(items.every(i => !i.stale)).toBe(true);
    // Give a second runner time to show up, were there one.
    await new Promise(r => setTimeout(r, 2000));
    expect(sandbox.counters()['sagemaker:ListModelPackageGroups']).toEqual({
      '111111111111': 1,
      '222222222222': 1,
    });
    const models = (await request(a.server).get('/api/ml-registry/models')).body
      .items;
    expect(models).toHaveLength(3);
  }, 60_000);
});
