import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import {
  Sandbox,
  SANDBOX_AWS_CONFIG,
  SANDBOX_ML_ACCOUNTS,
  startSdkSandbox,
} from '@ml-governance/aws-sandbox';
import mlRegistryPlugin from '@ml-governance/plugin-ml-registry-backend';
import request from 'supertest';
import {
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { catalogModuleMlRegistry } from './module';

describe('catalogModuleMlRegistry', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSdkSandbox({ stepMs: 10 });
  });
  afterAll(() => sandbox.close());

  it("puts every account's models and endpoints in the catalog, with lineage, through the real catalog", async () => {
    const every = { frequency: { seconds: 1 }, timeout: { seconds: 30 } };
    // The provider's own schedule never fires here: entities arrive because the sync says they changed.
    const never = {
      frequency: { hours: 1 },
      timeout: { seconds: 30 },
      initialDelay: { hours: 1 },
    };
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleMlRegistry,
        mlRegistryPlugin,
        // The real scheduler, so the sync and the provider run on their schedules, and
        // the real events service, which (unlike the mock) carries events between plugins.
        schedulerServiceFactory,
        eventsServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [
                {
                  allow: [
                    'Resource',
                    'Component',
                    'System',
                    'Group',
                    'User',
                    'Location',
                  ],
                },
              ],
              providers: { mlRegistry: { schedule: never } },
            },
            mlRegistry: {
              endpoint: sandbox.url,
              maxAttempts: 1,
              schedule: every,
              accounts: [
                { ...SANDBOX_ML_ACCOUNTS.shared, name: 'ml-shared' },
                SANDBOX_ML_ACCOUNTS.fraud,
                SANDBOX_ML_ACCOUNTS.churn,
                SANDBOX_ML_ACCOUNTS.prod,
              ],
            },
            aws: SANDBOX_AWS_CONFIG,
          },
        }),
      ],
    });

    const deadline = Date.now() + 45_000;
    let names: string[] = [];
    let items: any[] = [];
    while (Date.now() < deadline) {
      const res = await request(server)
        .get('/api/catalog/entities/by-query')
        .query({ filter: 'kind=resource,spec.type=ai-model' });
      items = res.body.items ?? [];
      names = items.map(e => e.metadata.name).sort();
      if (names.length === 4) break;
      await new Promise(r => setTimeout(r, 500));
    }
    expect(names).toEqual([
      'churn-dev--churn-prediction',
      'fraud-dev--fraud-detection',
      'ml-shared--churn-prediction',
      'ml-shared--fraud-detection',
    ]);
    const central = items.find(
      e => e.metadata.name === 'ml-shared--fraud-detection',
    );
    expect(central.spec).toMatchObject({
      owner: 'group:default/fraud-ds',
      dependsOn: expect.arrayContaining([
        'resource:default/fraud-dev--fraud-detection',
      ]),
    });
    expect(central.relations).toContainEqual(
      expect.objectContaining({
        type: 'dependsOn',
        targetRef: 'resource:default/fraud-dev--fraud-detection',
      }),
    );

    const servers = await request(server)
      .get('/api/catalog/entities/by-query')
      .query({ filter: 'kind=component,spec.type=model-server' });
    expect(servers.body.items).toEqual([
      expect.objectContaining({
        metadata: expect.objectContaining({
          name: 'ml-prod--fraud-detection-prod',
        }),
        spec: expect.objectContaining({
          lifecycle: 'production',
          owner: 'group:default/fraud-ds',
        }),
        relations: expect.arrayContaining([
          expect.objectContaining({
            type: 'dependsOn',
            targetRef: 'resource:default/ml-shared--fraud-detection',
          }),
        ]),
      }),
    ]);

    // The lineage of the version in production links to entities that exist in the catalog.
    const served =
      servers.body.items[0].metadata.annotations[
        'ml-governance.io/model-package-arn'
      ];
    const { lineage } = (
      await request(server)
        .get('/api/ml-registry/versions/by-arn')
        .query({ arn: served })
    ).body;
    expect(lineage.nodes.map((n: any) => n.kind)).toEqual([
      'data',
      'pipeline-run',
      'dev-package',
      'central-package',
      'endpoint',
    ]);
    expect(lineage.edges).toHaveLength(4);
    for (const node of lineage.nodes) {
      const [kind, name] = node.entityRef.replace(':default/', '/').split('/');
      const entity = await request(server).get(
        `/api/catalog/entities/by-name/${kind}/default/${name}`,
      );
      expect([node.entityRef, entity.status]).toEqual([node.entityRef, 200]);
      expect(node.consoleUrl).toMatch(
        /^https:\/\/[a-z0-9.-]*console\.aws\.amazon\.com\//,
      );
    }

    const project = await request(server).get(
      '/api/catalog/entities/by-name/system/default/fraud-dev--fraud-experiments',
    );
    expect(project.status).toBe(200);
    expect(project.body.relations).toContainEqual(
      expect.objectContaining({
        type: 'hasPart',
        targetRef: 'resource:default/fraud-dev--fraud-detection',
      }),
    );

    // An approval in the sandbox reaches the entity through the sync and the change notice.
    const entityOf = async () =>
      (
        await request(server).get(
          '/api/catalog/entities/by-name/resource/default/fraud-dev--fraud-detection',
        )
      ).body;
    expect(
      (await entityOf()).metadata.annotations[
        'ml-governance.io/latest-approved-version'
      ],
    ).toBe('2');
    await new SageMakerClient({
      endpoint: sandbox.url,
      region: 'us-east-1',
      credentials: { accessKeyId: '222222222222', secretAccessKey: 'x' },
    }).send(
      new UpdateModelPackageCommand({
        ModelPackageArn:
          'arn:aws:sagemaker:us-east-1:222222222222:model-package/fraud-detection/3',
        ModelApprovalStatus: 'Approved',
      }),
    );
    const changedAt = Date.now();
    while (
      (await entityOf()).metadata.annotations[
        'ml-governance.io/latest-approved-version'
      ] !== '3'
    ) {
      expect(Date.now() - changedAt).toBeLessThan(10_000);
      await new Promise(r => setTimeout(r, 100));
    }
  }, 60_000);
});
