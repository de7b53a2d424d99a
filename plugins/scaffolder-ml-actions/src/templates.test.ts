import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplates from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import catalogModuleMlRegistry from '@ml-governance/plugin-catalog-backend-module-ml-registry';
import mlRegistryPlugin from '@ml-governance/plugin-ml-registry-backend';
import request from 'supertest';
import yaml from 'yaml';
import { ACCOUNTS, startActionSandbox } from './__testUtils__/actionSandbox';
import { SUITE_ACTION_IDS } from './__testUtils__/suiteActionIds';
import {
  taskResult,
  untilTemplateInCatalog,
} from './__testUtils__/scaffolderTasks';
import { scaffolderModuleMlActions } from './module';

const TEMPLATES = path.resolve(__dirname, '../../../templates');
const templates = readdirSync(TEMPLATES, { withFileTypes: true })
  .filter(d => d.isDirectory())
  .map(d => d.name);

describe('the templates in templates/', () => {
  it.each(templates)(
    '%s is a valid Template whose steps use actions this module or the scaffolder provides',
    async name => {
      const entity = yaml.parse(
        readFileSync(path.join(TEMPLATES, name, 'template.yaml'), 'utf8'),
      ) as Entity;
      expect(await templateEntityV1beta3Validator.check(entity)).toBe(true);
      expect(entity.metadata.name).toBe(name);
      const actions = (entity.spec!.steps as { action: string }[]).map(
        s => s.action,
      );
      for (const action of actions) {
        expect(['catalog:fetch', ...SUITE_ACTION_IDS]).toContain(action);
      }
    },
  );

  it('lists eight templates, each registered as a catalog location in app-config.yaml', () => {
    const config = yaml.parse(
      readFileSync(path.resolve(TEMPLATES, '../app-config.yaml'), 'utf8'),
    );
    const registered = config.catalog.locations.map(
      (l: { target: string }) => l.target,
    );
    expect(templates).toHaveLength(8);
    for (const name of templates)
      expect(registered).toContain(`../../templates/${name}/template.yaml`);
  });

  describe('each run through the real scaffolder on the sandbox', () => {
    let env: Awaited<ReturnType<typeof startActionSandbox>>;
    let server: any;
    const leo = mockCredentials.user.header('user:default/leo.lead');
    beforeAll(async () => {
      env = await startActionSandbox();
      const every = { frequency: { seconds: 1 }, timeout: { seconds: 30 } };
      ({ server } = await startTestBackend({
        features: [
          scaffolderPlugin,
          scaffolderModuleMlActions,
          catalogPlugin,
          catalogModuleTemplates,
          catalogModuleMlRegistry,
          mlRegistryPlugin,
          schedulerServiceFactory,
          eventsServiceFactory,
          mockServices.rootConfig.factory({
            data: {
              catalog: {
                rules: [
                  {
                    allow: [
                      'Template',
                      'Resource',
                      'Component',
                      'System',
                      'Location',
                    ],
                  },
                ],
                locations: templates.map(t => ({
                  type: 'file',
                  target: path.join(TEMPLATES, t, 'template.yaml'),
                })),
                providers: {
                  mlRegistry: {
                    schedule: {
                      frequency: { hours: 1 },
                      timeout: { seconds: 30 },
                      initialDelay: { hours: 1 },
                    },
                  },
                },
              },
              mlRegistry: {
                endpoint: env.sandbox.url,
                maxAttempts: 1,
                schedule: every,
                accounts: ACCOUNTS,
              },
              aws: env.config.get('aws'),
            },
          }),
        ],
      }));
      for (const name of templates) await untilTemplateInCatalog(server, name);
    }, 60_000);
    afterAll(() => env.close());

    const entity = async (ref: string) => {
      const [kind, name] = ref.replace(':default/', '/').split('/');
      return request(server).get(
        `/api/catalog/entities/by-name/${kind}/default/${name}`,
      );
    };
    /** Waits until the catalog holds `ref` and `holds` says it is as expected. */
    async function untilInCatalog(
      ref: string,
      holds: (e: Entity) => boolean = () => true,
    ): Promise<Entity> {
      for (
        const deadline = Date.now() + 30_000;
        ;
        await new Promise(r => setTimeout(r, 250))
      ) {
        const found = await entity(ref);
        if (found.status === 200 && holds(found.body)) return found.body;
        if (Date.now() > deadline)
          throw new Error(
            `${ref} is not in the catalog as expected (${found.status})`,
          );
      }
    }
    const firstVersion = (e: Entity) =>
      e.metadata.annotations?.['ml-governance.io/latest-version'] === '1';
    const experiment = (
      account: string,
      name: string,
      owner: string,
      data: object,
    ) => ({
      values: { account, name, owner, startRun: true, ...data },
      // The next sync brings the project, and the first run's version, into the catalog.
      inCatalog: [`system:default/${account}--${name}`],
      models: [
        {
          ref: `resource:default/${account}--${name}`,
          holds: firstVersion,
          spec: {
            type: 'ai-model',
            owner,
            system: `system:default/${account}--${name}`,
          },
        },
      ],
    });
    /** Per template: what a user enters, what must be in the catalog first, what it makes there. */
    const runs: Record<
      string,
      {
        values: object;
        needs?: string[];
        inCatalog?: string[];
        models?: {
          ref: string;
          holds?: (e: Entity) => boolean;
          spec: object;
        }[];
      }
    > = {
      'experiment-athena': experiment(
        'churn-dev',
        'churn-lake',
        'group:default/churn-ds',
        { database: 'churn_lake', table: 'customer_features' },
      ),
      'experiment-s3': experiment(
        'churn-dev',
        'churn-files',
        'group:default/churn-ds',
        { uri: 's3://sagemaker-us-east-1-222222222223/datasets/churn/' },
      ),
      'experiment-datazone': experiment(
        'fraud-dev',
        'fraud-zone',
        'group:default/fraud-ds',
        {
          domainId: 'dzd_4p9n6example',
          assetId: 'asset-fraud-events',
          database: 'fraud_sub_db',
          table: 'fraud_events',
        },
      ),
      'experiment-feature-store': experiment(
        'fraud-dev',
        'fraud-features',
        'group:default/fraud-ds',
        { featureGroupName: 'customer-features' },
      ),
      'model-package-group': {
        values: {
          account: 'fraud-dev',
          name: 'fraud-shared-group',
          owner: 'group:default/fraud-ds',
        },
        models: [
          {
            ref: 'resource:default/fraud-dev--fraud-shared-group',
            spec: { type: 'ai-model', owner: 'group:default/fraud-ds' },
          },
        ],
      },
      'sagemaker-domain': {
        values: {
          account: 'fraud-dev',
          name: 'fraud-studio-2',
          owner: 'group:default/fraud-ds',
          vpcId: 'vpc-0a1b2c3d',
          subnetIds: ['subnet-0a1b2c3d'],
          userProfiles: ['dana'],
        },
      },
      'deploy-endpoint': {
        values: {
          model: 'resource:default/ml-shared-services--fraud-detection',
          testAccount: 'ml-test',
          prodAccount: 'ml-prod',
        },
        // Its model comes from the catalog, which the first sync fills.
        needs: ['resource:default/ml-shared-services--fraud-detection'],
      },
      'account-request': {
        values: {
          factoryAccount: 'ml-shared-services',
          name: 'ml-dev-vision',
          email: 'vision@example.com',
          team: 'group:default/fraud-ds',
        },
      },
    };

    it('has a run for every template', () => {
      expect(Object.keys(runs).sort()).toEqual([...templates].sort());
    });

    it.each(Object.keys(runs))(
      '%s completes, and what it made reaches the catalog',
      async name => {
        const run = runs[name];
        for (const ref of run.needs ?? []) await untilInCatalog(ref);
        const created = await request(server)
          .post('/api/scaffolder/v2/tasks')
          .set('authorization', leo)
          .send({
            templateRef: `template:default/${name}`,
            values: run.values,
          });
        expect(created.status).toBe(201);
        const task = await taskResult(server, leo, created.body.id, 60_000);
        expect({
          status: task.status,
          log: task.status === 'completed' ? '' : task.log,
        }).toEqual({ status: 'completed', log: '' });
        for (const ref of run.inCatalog ?? []) await untilInCatalog(ref);
        for (const model of run.models ?? [])
          expect(
            (await untilInCatalog(model.ref, model.holds)).spec,
          ).toMatchObject(model.spec);
      },
      90_000,
    );
  });
});
