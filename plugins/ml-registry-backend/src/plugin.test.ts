import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { Sandbox, startSandbox } from '@ml-governance/aws-sandbox';
import { mlRegistryPlugin } from './plugin';

const mlRegistry = {
  region: 'us-east-1',
  accounts: [
    { accountId: '111111111111', stage: 'shared-services', name: 'ml-shared' },
    {
      accountId: '222222222222',
      stage: 'dev',
      name: 'fraud-dev',
      team: 'group:default/fraud-ds',
    },
  ],
};

describe('mlRegistryPlugin', () => {
  it('serves the configured accounts with their sync state', async () => {
    const { server } = await startTestBackend({
      features: [
        mlRegistryPlugin,
        mockServices.rootConfig.factory({ data: { mlRegistry } }),
        // These accounts are not reachable: keep the sync from trying AWS.
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      ],
    });

    const res = await request(server).get('/api/ml-registry/accounts');
    expect(res.status).toBe(200);
    expect(res.body.items.map((a: { name: string }) => a.name)).toEqual([
      'fraud-dev',
      'ml-shared',
    ]);
    expect(res.body.items[0]).toEqual({
      ...mlRegistry.accounts[1],
      stale: true,
    });
  });

  it('answers 403 when the read permission is denied', async () => {
    const { server } = await startTestBackend({
      features: [
        mlRegistryPlugin,
        mockServices.rootConfig.factory({ data: { mlRegistry } }),
        // These accounts are not reachable: keep the sync from trying AWS.
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      ],
    });
    const res = await request(server).get('/api/ml-registry/accounts');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('ml-registry.read');
  });

  it('refuses to start on a bad account and names the key', async () => {
    await expect(
      startTestBackend({
        features: [
          mlRegistryPlugin,
          mockServices.rootConfig.factory({
            data: {
              mlRegistry: {
                accounts: [{ accountId: 'abc', stage: 'dev', name: 'x' }],
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow("mlRegistry.accounts[0].accountId: 'abc'");
  });
});

describe('mlRegistryPlugin syncing the sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, stepMs: 10 });
    process.env.AWS_ENDPOINT_URL_STS = sandbox.url;
  });
  afterAll(async () => {
    delete process.env.AWS_ENDPOINT_URL_STS;
    await sandbox.close();
  });

  // The test backend's scheduler runs each task once at start-up.
  it('syncs every account on its schedule and reports it', async () => {
    const { server } = await startTestBackend({
      features: [
        mlRegistryPlugin,
        mockServices.rootConfig.factory({
          data: {
            mlRegistry: {
              endpoint: sandbox.url,
              maxAttempts: 1,
              schedule: { frequency: { minutes: 10 }, timeout: { seconds: 30 } },
              accounts: [
                { accountId: '111111111111', stage: 'shared-services', name: 'ml-shared' },
                { accountId: '222222222222', stage: 'dev', name: 'fraud-dev', team: 'group:default/fraud-ds' },
              ],
            },
            aws: {
              mainAccount: { accessKeyId: '999999999999', secretAccessKey: 'x' },
              accountDefaults: { roleName: 'backstage-ml' },
            },
          },
        }),
      ],
    });
    const deadline = Date.now() + 15_000;
    let items: Array<{ name: string; stale: boolean }> = [];
    while (Date.now() < deadline) {
      items = (await request(server).get('/api/ml-registry/accounts')).body.items;
      if (items.every(a => !a.stale)) break;
      await new Promise(r => setTimeout(r, 200));
    }
    expect(items).toEqual([
      expect.objectContaining({ name: 'fraud-dev', stale: false, lastSyncAt: expect.any(String) }),
      expect.objectContaining({ name: 'ml-shared', stale: false, lastSyncAt: expect.any(String) }),
    ]);
    expect(sandbox.counters()['sagemaker:Search']).toMatchObject({ '111111111111': expect.any(Number), '222222222222': expect.any(Number) });

    // The catalog module reads the model entities, as a service; users may not.
    const forUser = await request(server).get('/api/ml-registry/entities');
    expect(forUser.status).toBe(403);
    const entities = await request(server)
      .get('/api/ml-registry/entities')
      .set('authorization', mockCredentials.service.header());
    expect(entities.status).toBe(200);
    const byName = Object.fromEntries(entities.body.items.map((e: any) => [e.metadata.name, e]));
    expect(Object.keys(byName).sort()).toEqual([
      'fraud-dev--fraud-detection', 'ml-shared--churn-prediction', 'ml-shared--fraud-detection',
    ]);
    expect(byName['ml-shared--fraud-detection'].spec).toEqual({
      type: 'ai-model', owner: 'group:default/fraud-ds', dependsOn: ['resource:default/fraud-dev--fraud-detection'],
    });
    // churn-dev is not configured here, so its central model has the default owner.
    expect(byName['ml-shared--churn-prediction'].spec.owner).toBe('group:default/ml-platform');
  }, 30_000);
});
