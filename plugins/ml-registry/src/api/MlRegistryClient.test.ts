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
      {
        accountId: '111111111111',
        stage: 'dev',
        name: 'fraud-dev',
        stale: true,
      },
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
            error: {
              name: 'NotAllowedError',
              message: 'ml-registry.read is not allowed',
            },
            request: { method: 'GET', url: '/api/ml-registry/accounts' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await expect(client.listAccounts()).rejects.toMatchObject({
      name: 'ResponseError',
      cause: {
        name: 'NotAllowedError',
        message: 'ml-registry.read is not allowed',
      },
    });
  });

  it('sends query filters and paging, and posts decisions as JSON', async () => {
    const seen: string[] = [];
    server.use(
      http.get(
        'http://backstage:7007/api/ml-registry/models',
        ({ request }) => {
          seen.push(request.url);
          return HttpResponse.json({ items: [] });
        },
      ),
      http.get(
        'http://backstage:7007/api/ml-registry/models/:account/:group/versions',
        ({ request, params }) => {
          seen.push(
            `${params.account}/${params.group} ${new URL(request.url).search}`,
          );
          return HttpResponse.json({
            items: [],
            totalCount: 0,
            offset: 20,
            limit: 10,
          });
        },
      ),
      http.post(
        'http://backstage:7007/api/ml-registry/gates/decisions',
        async ({ request }) => {
          seen.push(JSON.stringify(await request.json()));
          return HttpResponse.json({ gates: [], audit: [] });
        },
      ),
    );
    await client.listModels({
      stage: 'dev',
      pendingGate: 'dev-approval',
      owner: undefined,
    });
    await client.listVersions('222222222222', 'fraud-detection', {
      offset: 20,
      limit: 10,
      sort: 'createdAt',
      order: 'asc',
    });
    await client.decide({
      arn: 'arn:x',
      gate: 'dev-approval',
      decision: 'reject',
      reason: 'drift',
    });
    expect(seen).toEqual([
      'http://backstage:7007/api/ml-registry/models?stage=dev&pendingGate=dev-approval',
      '222222222222/fraud-detection ?offset=20&limit=10&sort=createdAt&order=asc',
      '{"arn":"arn:x","gate":"dev-approval","decision":"reject","reason":"drift"}',
    ]);
  });
});
