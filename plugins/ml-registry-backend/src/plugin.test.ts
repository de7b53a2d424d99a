import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import {
  Sandbox,
  sandboxRootClientConfig,
  startSdkSandbox,
} from '@ml-governance/aws-sandbox';
import eventsPlugin from '@backstage/plugin-events-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import {
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { mlRegistryPlugin } from './plugin';
import { eventsModuleMlRegistryIngress } from './events/httpIngress';
import { GATE_TEST_ACCOUNTS } from './__testUtils__/gateBackend';
import { sandboxRegistryConfig } from './__testUtils__/sandboxClients';

const [SHARED, FRAUD, , , PROD] = GATE_TEST_ACCOUNTS;
const mlRegistry = { region: 'us-east-1', accounts: [SHARED, FRAUD] };

describe('mlRegistryPlugin', () => {
  it('serves the configured accounts with their sync state', async () => {
    const { server } = await startTestBackend({
      features: [
        mlRegistryPlugin,
        mockServices.rootConfig.factory({ data: { mlRegistry } }),
        // These accounts are not reachable: only the sync the plugin triggers at start tries AWS.
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
      lastError: expect.stringContaining('Could not load credentials'),
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
    sandbox = await startSdkSandbox({ stepMs: 10 });
    // The test backend's scheduler runs each task once at start-up.
    ({ server } = await startTestBackend({
      features: [
        mlRegistryPlugin,
        // The events backend's HTTP ingress, and the real events service to carry its events here.
        eventsPlugin,
        eventsServiceFactory,
        eventsModuleMlRegistryIngress,
        mockServices.rootConfig.factory({
          data: {
            // One backend: events stay in process rather than long-polling the database-backed bus.
            events: { useEventBus: 'never' },
            ...sandboxRegistryConfig(sandbox, {
              schedule: {
                frequency: { minutes: 10 },
                timeout: { seconds: 30 },
              },
              accounts: [SHARED, FRAUD, PROD],
            }),
          },
        }),
      ],
    }));
  }, 30_000);
  afterAll(() => sandbox.close());

  it('syncs every account on its schedule and reports it', async () => {
    const deadline = Date.now() + 15_000;
    let items: Array<{ name: string; stale: boolean }> = [];
    while (Date.now() < deadline) {
      items = (await request(server).get('/api/ml-registry/accounts')).body
        .items;
      if (items.every(a => !a.stale)) break;
      await new Promise(r => setTimeout(r, 200));
    }
    expect(items).toEqual([
      expect.objectContaining({
        name: 'fraud-dev',
        stale: false,
        lastSyncAt: expect.any(String),
      }),
      expect.objectContaining({
        name: 'ml-prod',
        stale: false,
        lastSyncAt: expect.any(String),
      }),
      expect.objectContaining({
        name: 'ml-shared',
        stale: false,
        lastSyncAt: expect.any(String),
      }),
    ]);
    expect(sandbox.counters()['sagemaker:Search']).toMatchObject({
      '111111111111': expect.any(Number),
      '222222222222': expect.any(Number),
    });
  }, 30_000);

  it('serves the entities to the catalog module only', async () => {
    const forUser = await request(server).get('/api/ml-registry/entities');
    expect(forUser.status).toBe(403);
    const entities = await request(server)
      .get('/api/ml-registry/entities')
      .set('authorization', mockCredentials.service.header());
    expect(entities.status).toBe(200);
    const byName = Object.fromEntries(
      entities.body.items.map((e: any) => [e.metadata.name, e]),
    );
    const dataset = entities.body.items.find(
      (e: any) =>
        e.spec.type === 'dataset' &&
        e.metadata.name.includes('fraud-detection'),
    );
    expect(Object.keys(byName).sort()).toEqual([
      expect.stringMatching(
        /^dataset--churn-lake-customer-features-[0-9a-f]{8}$/,
      ),
      dataset.metadata.name,
      'fraud-dev--domain-fraud-studio',
      'fraud-dev--fraud-detection',
      'fraud-dev--fraud-experiments',
      'ml-prod--fraud-detection-prod',
      'ml-shared--churn-prediction',
      'ml-shared--fraud-detection',
    ]);
    expect(byName['ml-shared--fraud-detection'].spec).toEqual({
      type: 'ai-model',
      owner: 'group:default/fraud-ds',
      system: 'system:default/fraud-dev--fraud-experiments',
      dependsOn: [
        'resource:default/fraud-dev--fraud-detection',
        `resource:default/${dataset.metadata.name}`,
      ],
    });
    expect(byName['ml-prod--fraud-detection-prod'].spec).toMatchObject({
      dependsOn: ['resource:default/ml-shared--fraud-detection'],
      system: 'system:default/fraud-dev--fraud-experiments',
    });
    // churn-dev is not configured here, so its central model has the default owner.
    expect(byName['ml-shared--churn-prediction'].spec.owner).toBe(
      'group:default/ml-platform',
    );
  });

  it('lists models with filters', async () => {
    const all = (await request(server).get('/api/ml-registry/models')).body
      .items;
    expect(all.map((m: any) => m.entityRef)).toEqual([
      'resource:default/ml-shared--churn-prediction',
      'resource:default/ml-shared--fraud-detection',
      'resource:default/fraud-dev--fraud-detection',
    ]);
    const dev = all.find((m: any) => m.accountName === 'fraud-dev');
    expect(dev).toMatchObject({
      stage: 'dev',
      versions: 4,
      latestVersion: 4,
      statusCounts: { Approved: 2, PendingManualApproval: 1, Rejected: 1 },
    });
    const pending = (
      await request(server)
        .get('/api/ml-registry/models')
        .query({ status: 'PendingManualApproval' })
    ).body.items;
    expect(pending.map((m: any) => `${m.accountName}/${m.groupName}`)).toEqual([
      'ml-shared/fraud-detection',
      'fraud-dev/fraud-detection',
    ]);
    const central = (
      await request(server)
        .get('/api/ml-registry/models')
        .query({ stage: 'shared-services' })
    ).body.items;
    expect(central).toHaveLength(2);
    const byAccount = (
      await request(server)
        .get('/api/ml-registry/models')
        .query({ account: 'fraud-dev' })
    ).body.items;
    expect(byAccount).toHaveLength(1);
    const owned = (
      await request(server)
        .get('/api/ml-registry/models')
        .query({ owner: 'group:default/fraud-ds' })
    ).body.items;
    expect(owned.map((m: any) => m.entityRef)).toEqual([
      'resource:default/ml-shared--fraud-detection',
      'resource:default/fraud-dev--fraud-detection',
    ]);
    const devGate = (
      await request(server)
        .get('/api/ml-registry/models')
        .query({ pendingGate: 'dev-approval' })
    ).body.items;
    expect(devGate.map((m: any) => m.entityRef)).toEqual([
      'resource:default/fraud-dev--fraud-detection',
    ]);
    const centralGate = (
      await request(server)
        .get('/api/ml-registry/models')
        .query({ pendingGate: 'central-approval' })
    ).body.items;
    expect(centralGate.map((m: any) => m.entityRef)).toEqual([
      'resource:default/ml-shared--fraud-detection',
    ]);
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
    expect(rejected.body.items).toEqual([
      expect.objectContaining({
        version: 4,
        approvalDescription: 'AUC below 0.90 on the holdout set',
      }),
    ]);

    const devArn =
      'arn:aws:sagemaker:us-east-1:222222222222:model-package/fraud-detection/1';
    const centralArn =
      'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud-detection/1';
    const central = await request(server)
      .get('/api/ml-registry/versions/by-arn')
      .query({ arn: centralArn });
    expect(central.body.source).toMatchObject({
      arn: devArn,
      approvalStatus: 'Approved',
    });
    const dev = await request(server)
      .get('/api/ml-registry/versions/by-arn')
      .query({ arn: devArn });
    expect(dev.body.promotedTo.map((v: any) => v.arn)).toEqual([centralArn]);
    expect(dev.body.history).toEqual([
      expect.objectContaining({
        approvalStatus: 'Approved',
        changedAt: expect.any(String),
      }),
    ]);
    expect(dev.body.modelCard).toMatchObject({
      name: 'fraud-detection',
      status: 'Approved',
      accountId: '111111111111',
    });
    expect(dev.body.deployments).toEqual([
      expect.objectContaining({
        stage: 'prod',
        accountName: 'ml-prod',
        endpointName: 'fraud-detection-prod',
        status: 'InService',
        modelPackageArn: centralArn,
      }),
    ]);
    const missing = await request(server)
      .get('/api/ml-registry/versions/by-arn')
      .query({ arn: `${devArn}9` });
    expect(missing.status).toBe(404);
  });

  it('answers 400 naming each bad parameter', async () => {
    const stage = await request(server)
      .get('/api/ml-registry/models')
      .query({ stage: 'staging' });
    expect(stage.status).toBe(400);
    expect(stage.body.error.message).toBe(
      'request/query/stage must be equal to one of the allowed values: shared-services, dev, test, prod, governance',
    );
    const limit = await request(server)
      .get('/api/ml-registry/models/222222222222/fraud-detection/versions')
      .query({ limit: 0 });
    expect(limit.status).toBe(400);
    expect(limit.body.error.message).toBe('request/query/limit must be >= 1');
    const unknown = await request(server)
      .get('/api/ml-registry/models')
      .query({ colour: 'red' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe("Unknown query parameter 'colour'");
    const arn = await request(server)
      .get('/api/ml-registry/versions/by-arn')
      .query({ arn: 'nope' });
    expect(arn.status).toBe(400);
    expect(arn.body.error.message).toMatch(
      /^request\/query\/arn must match pattern/,
    );
    const account = await request(server).get(
      '/api/ml-registry/models/2222/fraud-detection/versions',
    );
    expect(account.body.error.message).toMatch(
      /^request\/params\/accountId must match pattern/,
    );
  });

  it('serves its OpenAPI spec', async () => {
    const res = await request(server).get('/api/ml-registry/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths).sort()).toEqual([
      '/api/ml-registry/accounts',
      '/api/ml-registry/audit',
      '/api/ml-registry/entities',
      '/api/ml-registry/gates',
      '/api/ml-registry/gates/comparison',
      '/api/ml-registry/gates/decisions',
      '/api/ml-registry/gates/retries',
      '/api/ml-registry/models',
      '/api/ml-registry/models/{accountId}/{groupName}/versions',
      '/api/ml-registry/versions/by-arn',
    ]);
  });

  it('syncs an account when EventBridge posts its state change to the HTTP ingress', async () => {
    const arn =
      'arn:aws:sagemaker:us-east-1:222222222222:model-package/fraud-detection/3';
    await new SageMakerClient(
      sandboxRootClientConfig(sandbox, FRAUD.accountId),
    ).send(
      new UpdateModelPackageCommand({
        ModelPackageArn: arn,
        ModelApprovalStatus: 'Approved',
        ApprovalDescription: 'via HTTP ingress',
      }),
    );
    const posted = await request(server)
      .post('/api/events/http/ml-registry')
      .set('authorization', mockCredentials.service.header())
      .send({
        'detail-type': 'SageMaker Model Package State Change',
        source: 'aws.sagemaker',
        account: '222222222222',
        resources: [arn],
        detail: {},
      });
    expect(posted.status).toBe(202);
    // The schedule is 10 minutes away: only the event can have caused this.
    const deadline = Date.now() + 10_000;
    let version: any;
    while (Date.now() < deadline) {
      version = (
        await request(server)
          .get('/api/ml-registry/versions/by-arn')
          .query({ arn })
      ).body.version;
      if (version?.approvalStatus === 'Approved') break;
      await new Promise(r => setTimeout(r, 100));
    }
    expect(version).toMatchObject({
      approvalStatus: 'Approved',
      approvalDescription: 'via HTTP ingress',
    });
  });
});
