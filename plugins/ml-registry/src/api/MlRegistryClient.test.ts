import { mockApis, registerMswTestHooks } from '@backstage/frontend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { MlRegistryClient } from './MlRegistryClient';

describe('MlRegistryClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  const client = new MlRegistryClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage:7007' }),
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });

  it('reads the accounts from the backend', async () => {
    const items = [
      { accountId: '111111111111', stage: 'dev', name: 'fraud-dev', stale: true },
    ];
    server.use(
      http.get('http://backstage:7007/api/ml-registry/accounts', () =>
        HttpResponse.json({ items }),
      ),
    );
    await expect(client.listAccounts()).resolves.toEqual({ items });
  });

  it("surfaces the backend's error message", async () => {
    server.use(
      http.get('http://backstage:7007/api/ml-registry/accounts', () =>
        HttpResponse.json(
          // The shape every Backstage backend gives its errors.
          {
            error: { name: 'NotAllowedError', message: 'ml-registry.read is not allowed' },
            request: { method: 'GET', url: '/api/ml-registry/accounts' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await expect(client.listAccounts()).rejects.toMatchObject({
      name: 'ResponseError',
      cause: { name: 'NotAllowedError', message: 'ml-registry.read is not allowed' },
    });
  });
});
