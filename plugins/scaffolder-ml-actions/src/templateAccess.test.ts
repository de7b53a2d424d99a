import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplates from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import permissionPlugin from '@backstage/plugin-permission-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import permissionModuleMlGovernance from '@ml-governance/plugin-permission-backend-module-ml-governance';
import { exampleOrgUserInfoFactory } from '@ml-governance/test-utils';
import request from 'supertest';
import yaml from 'yaml';
import { startActionSandbox } from './__testUtils__/actionSandbox';
import { httpAuthWithActors } from './__testUtils__/httpAuthWithActors';
import { taskResult, untilTemplateInCatalog } from './__testUtils__/scaffolderTasks';
import { scaffolderModuleMlActions } from './module';

const TEMPLATES = path.resolve(__dirname, '../../../templates');


/**
 * Issue #9's template access, through the real scaffolder, catalog and
 * permission backends with the ML governance policy: each role sees and runs
 * only its templates, and an ML Admin action refuses anyone else, whatever
 * template calls it.
 */
describe('who may see and run which template', () => {
  let env: Awaited<ReturnType<typeof startActionSandbox>>;
  let server: any;
  const as = (user: string) => ({ authorization: mockCredentials.user.header(`user:default/${user}`) });

  beforeAll(async () => {
    env = await startActionSandbox();
    // A template anyone may see, calling an ML Admin action: as someone might register one.
    const own = path.join(mkdtempSync(path.join(os.tmpdir(), 'own-template-')), 'template.yaml');
    writeFileSync(own, yaml.stringify({
      apiVersion: 'scaffolder.backstage.io/v1beta3', kind: 'Template',
      metadata: { name: 'my-own-domain' },
      spec: {
        owner: 'group:default/data-scientists', type: 'service', parameters: [],
        steps: [{
          id: 'domain', name: 'Domain', action: 'sagemaker:domain:create',
          input: { account: 'fraud-dev', name: 'sneaky', vpcId: 'vpc-0a1b2c3d', subnetIds: ['subnet-0a1b2c3d'], executionRoleArn: 'arn:aws:iam::222222222222:role/x' },
        }],
      },
    }));
    ({ server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleMlActions,
        catalogPlugin,
        catalogModuleTemplates,
        permissionPlugin,
        permissionModuleMlGovernance,
        permissionsServiceFactory,
        // The example organisation's memberships, as sign-in puts them in each token.
        exampleOrgUserInfoFactory(),
        httpAuthWithActors,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            catalog: {
              rules: [{ allow: ['Template'] }],
              locations: [
                ...['sagemaker-domain', 'account-request', 'experiment-athena', 'deploy-endpoint']
                  .map(t => ({ type: 'file', target: path.join(TEMPLATES, t, 'template.yaml') })),
                { type: 'file', target: own },
              ],
            },
            mlRegistry: env.config.get('mlRegistry'),
            aws: env.config.get('aws'),
          },
        }),
      ],
    }));
    for (const name of ['sagemaker-domain', 'account-request', 'experiment-athena', 'deploy-endpoint', 'my-own-domain']) {
      await untilTemplateInCatalog(server, name);
    }
  }, 60_000);
  afterAll(() => env.close());

  const visibleTo = async (user: string) =>
    ((await request(server).get('/api/catalog/entities/by-query').query({ filter: 'kind=template' }).set(as(user))).body.items as any[])
      .map(t => t.metadata.name).sort();
  const runAs = (user: string, template: string, values: object) =>
    request(server).post('/api/scaffolder/v2/tasks').set(as(user)).send({ templateRef: `template:default/${template}`, values });
  it('shows each role the templates of its audiences only', async () => {
    expect(await visibleTo('dana.scientist')).toEqual(['experiment-athena', 'my-own-domain']);
    expect(await visibleTo('leo.lead')).toEqual(['account-request', 'experiment-athena', 'my-own-domain', 'sagemaker-domain']);
    expect(await visibleTo('mo.engineer')).toEqual(['deploy-endpoint', 'my-own-domain']);
  });

  it('refuses a data scientist the SageMaker domain template through the API, and runs it for a lead', async () => {
    const values = {
      account: 'fraud-dev', name: 'fraud-studio-2', owner: 'group:default/fraud-ds',
      vpcId: 'vpc-0a1b2c3d', subnetIds: ['subnet-0a1b2c3d'], executionRoleArn: 'arn:aws:iam::222222222222:role/sagemaker-execution',
    };
    const refused = await runAs('dana.scientist', 'sagemaker-domain', values);
    // The catalog hides the template from her, so to the scaffolder it does not exist.
    expect(refused.status).toBe(404);
    expect(refused.body.error.message).toContain('sagemaker-domain');

    const created = await runAs('leo.lead', 'sagemaker-domain', values);
    expect(created.status).toBe(201);
    expect(await taskResult(server, as('leo.lead').authorization, created.body.id)).toMatchObject({ status: 'completed' });
  }, 60_000);

  it('stops an ML Admin action in a template of someone else’s, for anyone outside ML Admin', async () => {
    const created = await runAs('dana.scientist', 'my-own-domain', {});
    expect(created.status).toBe(201);
    const { status, log } = await taskResult(server, as('dana.scientist').authorization, created.body.id);
    expect(status).toBe('failed');
    expect(log).toContain('Unauthorized action: sagemaker:domain:create');
  });
});
