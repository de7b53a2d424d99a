import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
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
import { taskResult, untilTemplateInCatalog } from './__testUtils__/scaffolderTasks';
import { scaffolderModuleMlActions } from './module';

const TEMPLATES = path.resolve(__dirname, '../../../templates');
const templates = readdirSync(TEMPLATES, { withFileTypes: true }).filter(d => d.isDirectory()).map(d => d.name);

describe('the templates in templates/', () => {
  it.each(templates)('%s is a valid Template whose steps use actions this module or the scaffolder provides', async name => {
    const entity = yaml.parse(readFileSync(path.join(TEMPLATES, name, 'template.yaml'), 'utf8')) as Entity;
    expect(await templateEntityV1beta3Validator.check(entity)).toBe(true);
    expect(entity.metadata.name).toBe(name);
    const actions = (entity.spec!.steps as { action: string }[]).map(s => s.action);
    for (const action of actions) {
      expect(['catalog:fetch', 'ml:account:resolve', 'sagemaker:domain:create', 'sagemaker:user-profile:create',
        'sagemaker:model-package-group:create', 'sagemaker:project:create', 'codepipeline:deploy-pipeline:create',
        'servicecatalog:product:provision']).toContain(action);
    }
  });

  it('lists eight templates, each registered as a catalog location in app-config.yaml', () => {
    const config = yaml.parse(readFileSync(path.resolve(TEMPLATES, '../app-config.yaml'), 'utf8'));
    const registered = config.catalog.locations.map((l: { target: string }) => l.target);
    expect(templates).toHaveLength(8);
    for (const name of templates) expect(registered).toContain(`../../templates/${name}/template.yaml`);
  });

  it('runs the Athena experiment through the real scaffolder on the sandbox; its project and model reach the catalog', async () => {
    const env = await startActionSandbox();
    const every = { frequency: { seconds: 1 }, timeout: { seconds: 30 } };
    const { server } = await startTestBackend({
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
              rules: [{ allow: ['Template', 'Resource', 'Component', 'System', 'Location'] }],
              locations: templates.map(t => ({ type: 'file', target: path.join(TEMPLATES, t, 'template.yaml') })),
              providers: { mlRegistry: { schedule: { frequency: { hours: 1 }, timeout: { seconds: 30 }, initialDelay: { hours: 1 } } } },
            },
            mlRegistry: { endpoint: env.sandbox.url, maxAttempts: 1, schedule: every, accounts: ACCOUNTS },
            aws: env.config.get('aws'),
          },
        }),
      ],
    });
    const leo = mockCredentials.user.header('user:default/leo.lead');
    try {
      await untilTemplateInCatalog(server, 'experiment-athena');
      const created = await request(server).post('/api/scaffolder/v2/tasks').set('authorization', leo).send({
        templateRef: 'template:default/experiment-athena',
        values: {
          account: 'churn-dev', name: 'churn-lake', owner: 'group:default/churn-ds', startRun: true,
          database: 'churn_lake', table: 'customer_features',
        },
      });
      expect(created.status).toBe(201);
      const task = await taskResult(server, leo, created.body.id);
      expect({ status: task.status, log: task.status === 'completed' ? '' : task.log }).toEqual({ status: 'completed', log: '' });

      // The next sync brings the project, and the first run's version, into the catalog.
      const entity = async (ref: string) => {
        const [kind, name] = ref.replace(':default/', '/').split('/');
        return request(server).get(`/api/catalog/entities/by-name/${kind}/default/${name}`);
      };
      let found: { system: any; model: any } | undefined;
      for (const deadline = Date.now() + 30_000; !found; await new Promise(r => setTimeout(r, 250))) {
        const [system, model] = await Promise.all([entity('system:default/churn-dev--churn-lake'), entity('resource:default/churn-dev--churn-lake')]);
        if (system.status === 200 && model.status === 200 && model.body.metadata.annotations['ml-governance.io/latest-version'] === '1') {
          found = { system: system.body, model: model.body };
        } else if (Date.now() > deadline) {
          throw new Error(`not in the catalog: system ${system.status}, model ${model.status}`);
        }
      }
      expect(found.model.spec).toMatchObject({ type: 'ai-model', owner: 'group:default/churn-ds', system: 'system:default/churn-dev--churn-lake' });
    } finally {
      await env.close();
    }
  }, 90_000);
});
