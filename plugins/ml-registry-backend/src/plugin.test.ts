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
  let server: any;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, stepMs: 10 });
    process.env.AWS_ENDPOINT_URL_STS = sandbox.url;
    // The test backend's scheduler runs each task once at start-up.
    ({ server } = await startTestBackend({
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
    }));
  });
  afterAll(async () => {
    delete process.env.AWS_ENDPOINT_URL_STS;
    await sandbox.close();
  });

  it('syncs every account on its schedule and reports it', async () => {
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
  }, 30_000);

  it('serves the entities to the catalog module only', async () => {
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
  });

  it('lists models with filters', async () => {
    const all = (await request(server).get('/api/ml-registry/models')).body.items;
    expect(all.map((m: any) => m.entityRef)).toEqual([
      'resource:default/ml-shared--churn-prediction',
      'resource:default/ml-shared--fraud-detection',
      'resource:default/fraud-dev--fraud-detection',
    ]);
    const dev = all.find((m: any) => m.accountName === 'fraud-dev');
    expect(dev).toMatchObject({ stage: 'dev', versions: 4, latestVersion: 4, statusCounts: { Approved: 2, PendingManualApproval: 1, Rejected: 1 } });
    const pending = (await request(server).get('/api/ml-registry/models').query({ status: 'PendingManualApproval' })).body.items;
    expect(pending.map((m: any) => `${m.accountName}/${m.groupName}`)).toEqual(['ml-shared/fraud-detection', 'fraud-dev/fraud-detection']);
    const central = (await request(server).get('/api/ml-registry/models').query({ stage: 'shared-services' })).body.items;
    expect(central).toHaveLength(2);
    const byAccount = (await request(server).get('/api/ml-registry/models').query({ account: 'fraud-dev' })).body.items;
    expect(byAccount).toHaveLength(1);
  });

  it('pages and sorts versions, and shows a version with its lineage', async () => {
    const page = await request(server)
      .get('/api/ml-registry/models/222222222222/fraud-detection/versions')
      .query({ limit: 2, offset: 1, order: 'asc' });
    expect(page.body).toMatchObject({ totalCount: 4, offset: 1, limit: 2 });
    expect(page.body.items.map((v: any) => v.version)).toEqual([2, 3]);
    const rejected = await request(server)
      .get('/api/ml-registry/models/222222222222/fraud-detection/versions')
      .query({ status: 'Rejected' });
    expect(rejected.body.items).toEqual([expect.objectContaining({ version: 4, approvalDescription: 'AUC below 0.90 on the holdout set' })]);

    const devArn = 'arn:aws:sagemaker:us-east-1:222222222222:model-package/fraud-detection/1';
    const centralArn = 'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud-detection/1';
    const central = await request(server).get('/api/ml-registry/versions/by-arn').query({ arn: centralArn });
    expect(central.body.source).toMatchObject({ arn: devArn, approvalStatus: 'Approved' });
    const dev = await request(server).get('/api/ml-registry/versions/by-arn').query({ arn: devArn });
    expect(dev.body.promotedTo.map((v: any) => v.arn)).toEqual([centralArn]);
    const missing = await request(server).get('/api/ml-registry/versions/by-arn').query({ arn: `${devArn}9` });
    expect(missing.status).toBe(404);
  });

  it('answers 400 naming each bad parameter', async () => {
    const stage = await request(server).get('/api/ml-registry/models').query({ stage: 'staging' });
    expect(stage.status).toBe(400);
    expect(stage.body.error.message).toContain("query parameter 'stage'");
    const limit = await request(server).get('/api/ml-registry/models/222222222222/fraud-detection/versions').query({ limit: 0 });
    expect(limit.status).toBe(400);
    expect(limit.body.error.message).toContain("query parameter 'limit'");
    const unknown = await request(server).get('/api/ml-registry/models').query({ colour: 'red' });
    expect(unknown.body.error.message).toContain('unknown query parameter(s) colour');
    const arn = await request(server).get('/api/ml-registry/versions/by-arn').query({ arn: 'nope' });
    expect(arn.body.error.message).toContain("query parameter 'arn': must be a SageMaker model package ARN");
  });
});
