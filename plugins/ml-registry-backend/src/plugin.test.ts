import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
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
