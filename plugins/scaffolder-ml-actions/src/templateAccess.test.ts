import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplates from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import permissionPlugin from '@backstage/plugin-permission-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import permissionModuleMlGovernance from '@ml-governance/plugin-permission-backend-module-ml-governance';
import { exampleOrgUserInfoFactory } from '@ml-governance/test-utils';
import {
  ListDomainsCommand,
  ListProjectsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import request from 'supertest';
import yaml from 'yaml';
import { startActionSandbox } from './__testUtils__/actionSandbox';
import { httpAuthWithActors } from './__testUtils__/httpAuthWithActors';
import {
  taskResult,
  untilTemplateInCatalog,
} from './__testUtils__/scaffolderTasks';
import { scaffolderModuleMlActions } from './module';

const TEMPLATES = path.resolve(__dirname, '../../../templates');

/**
 * Writes a one-step template `name`, owned by `owner`, creating a SageMaker
 * domain in the fraud team's account with `input`; the file's path.
 */
function domainTemplate(name: string, owner: string, input: object): string {
  const file = path.join(
    mkdtempSync(path.join(os.tmpdir(), `${name}-`)),
    'template.yaml',
  );
  writeFileSync(
    file,
    yaml.stringify({
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name },
      spec: {
        owner,
        type: 'service',
        parameters: [],
        steps: [
          {
            id: 'domain',
            name: 'Domain',
            action: 'sagemaker:domain:create',
            input: {
              account: 'fraud-dev',
              vpcId: 'vpc-0a1b2c3d',
              subnetIds: ['subnet-0a1b2c3d'],
              ...input,
            },
          },
        ],
      },
    }),
  );
  return file;
}

/**
 * Who may see and run templates, and who owns what they make, through the real
 * scaffolder, catalog and permission backends with the ML governance policy:
 * each role sees and runs only its templates, an ML Admin action refuses
 * anyone else whatever template calls it, a team's actions reach only its own
 * dev account, a task is its creator's, and only platform engineers register locations.
 */
describe('who may see and run which template', () => {
  let env: Awaited<ReturnType<typeof startActionSandbox>>;
  let server: any;
  const as = (user: string) => ({
    authorization: mockCredentials.user.header(`user:default/${user}`),
  });
  /** How a task the user started ended, and its log. */
  const resultOf = (user: string, started: { body: { id: string } }) =>
    taskResult(server, as(user).authorization, started.body.id);

  beforeAll(async () => {
    env = await startActionSandbox();
    // A template anyone may see, calling an ML Admin action: as someone might register one.
    const own = domainTemplate(
      'my-own-domain',
      'group:default/data-scientists',
      {
        name: 'sneaky',
      },
    );
    // A template handing SageMaker a role of its author's choosing: the suite's own, stronger one.
    const roleNaming = domainTemplate(
      'my-own-role',
      'group:default/lead-data-scientists',
      {
        name: 'as-backstage',
        executionRoleArn: 'arn:aws:iam::222222222222:role/backstage-ml',
      },
    );
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
                ...[
                  'sagemaker-domain',
                  'account-request',
                  'experiment-athena',
                  'deploy-endpoint',
                ].map(t => ({
                  type: 'file',
                  target: path.join(TEMPLATES, t, 'template.yaml'),
                })),
                { type: 'file', target: own },
                { type: 'file', target: roleNaming },
              ],
            },
            mlRegistry: env.config.get('mlRegistry'),
            aws: env.config.get('aws'),
          },
        }),
      ],
    }));
    for (const name of [
      'sagemaker-domain',
      'account-request',
      'experiment-athena',
      'deploy-endpoint',
      'my-own-domain',
      'my-own-role',
    ]) {
      await untilTemplateInCatalog(server, name);
    }
  }, 60_000);
  afterAll(() => env.close());

  const visibleTo = async (user: string) =>
    (
      (
        await request(server)
          .get('/api/catalog/entities/by-query')
          .query({ filter: 'kind=template' })
          .set(as(user))
      ).body.items as any[]
    )
      .map(t => t.metadata.name)
      .sort();
  const runAs = (user: string, template: string, values: object) =>
    request(server)
      .post('/api/scaffolder/v2/tasks')
      .set(as(user))
      .send({ templateRef: `template:default/${template}`, values });
  it('shows each role the templates of its audiences only', async () => {
    expect(await visibleTo('dana.scientist')).toEqual([
      'experiment-athena',
      'my-own-domain',
      'my-own-role',
    ]);
    expect(await visibleTo('leo.lead')).toEqual([
      'account-request',
      'experiment-athena',
      'my-own-domain',
      'my-own-role',
      'sagemaker-domain',
    ]);
    expect(await visibleTo('mo.engineer')).toEqual([
      'deploy-endpoint',
      'my-own-domain',
      'my-own-role',
    ]);
  });

  it("refuses a data scientist the SageMaker domain template through the API, and runs it for a lead in their team's account only", async () => {
    const values = {
      account: 'fraud-dev',
      name: 'fraud-studio-2',
      owner: 'group:default/fraud-ds',
      vpcId: 'vpc-0a1b2c3d',
      subnetIds: ['subnet-0a1b2c3d'],
    };
    const refused = await runAs('dana.scientist', 'sagemaker-domain', values);
    // The catalog hides the template from her, so to the scaffolder it does not exist.
    expect(refused.status).toBe(404);
    expect(refused.body.error.message).toContain('sagemaker-domain');

    const created = await runAs('leo.lead', 'sagemaker-domain', values);
    expect(created.status).toBe(201);
    expect(await resultOf('leo.lead', created)).toMatchObject({
      status: 'completed',
    });

    // A lead of the fraud team, not of churn's.
    const elsewhere = await runAs('leo.lead', 'sagemaker-domain', {
      ...values,
      account: 'churn-dev',
      name: 'fraud-in-churn',
    });
    const { status, log } = await resultOf('leo.lead', elsewhere);
    expect({
      status,
      refused: log.includes('Unauthorized action: sagemaker:domain:create'),
    }).toEqual({ status: 'failed', refused: true });
    const churnDomains = await new SageMakerClient(env.as('222222222223')).send(
      new ListDomainsCommand({}),
    );
    expect(churnDomains.Domains!.map(d => d.DomainName)).not.toContain(
      'fraud-in-churn',
    );
  }, 60_000);

  const projectsIn = async (accountId: string) =>
    (
      (
        await new SageMakerClient(env.as(accountId)).send(
          new ListProjectsCommand({}),
        )
      ).ProjectSummaryList ?? []
    ).map(p => p.ProjectName);
  const experiment = (name: string) => ({
    account: 'churn-dev',
    name,
    owner: 'group:default/churn-ds',
    startRun: false,
    database: 'churn_lake',
    table: 'customer_features',
  });

  it('refuses a data scientist an experiment in another team’s dev account, and makes it for that team’s', async () => {
    const refused = await runAs(
      'dana.scientist',
      'experiment-athena',
      experiment('fraud-in-churn'),
    );
    expect(refused.status).toBe(201);
    const { status, log } = await resultOf('dana.scientist', refused);
    expect(status).toBe('failed');
    expect(log).toContain('Unauthorized action: sagemaker:project:create');
    expect(await projectsIn('222222222223')).not.toContain('fraud-in-churn');

    const created = await runAs(
      'chen.scientist',
      'experiment-athena',
      experiment('churn-own'),
    );
    expect(await resultOf('chen.scientist', created)).toMatchObject({
      status: 'completed',
    });
    expect(await projectsIn('222222222223')).toContain('churn-own');
  }, 60_000);

  it('refuses a template naming the role AWS is to act as, even for a lead in their own account', async () => {
    const created = await runAs('leo.lead', 'my-own-role', {});
    const { status, log } = await resultOf('leo.lead', created);
    expect(status).toBe('failed');
    expect(log).toMatch(
      /Invalid input passed to action sagemaker:domain:create.*executionRoleArn/s,
    );
    const domains = await new SageMakerClient(env.as('222222222222')).send(
      new ListDomainsCommand({}),
    );
    expect(domains.Domains!.map(d => d.DomainName)).not.toContain(
      'as-backstage',
    );
  });

  it('lets only its creator read, list and cancel a task', async () => {
    const created = await runAs(
      'chen.scientist',
      'experiment-athena',
      experiment('churn-private'),
    );
    const task = `/api/scaffolder/v2/tasks/${created.body.id}`;
    expect(
      (await request(server).get(task).set(as('chen.scientist'))).status,
    ).toBe(200);
    expect(
      (await request(server).get(task).set(as('dana.scientist'))).status,
    ).toBe(403);
    expect(
      (await request(server).get(`${task}/events`).set(as('dana.scientist')))
        .status,
    ).toBe(403);
    expect(
      (await request(server).post(`${task}/cancel`).set(as('dana.scientist')))
        .status,
    ).toBe(403);
    const listed = await request(server)
      .get('/api/scaffolder/v2/tasks')
      .set(as('dana.scientist'));
    expect(listed.body.tasks.map((t: { id: string }) => t.id)).not.toContain(
      created.body.id,
    );
    expect(await resultOf('chen.scientist', created)).toMatchObject({
      status: 'completed',
    });
  }, 60_000);

  it('lets only platform engineers register a catalog location', async () => {
    const location = {
      type: 'url',
      target: 'https://github.com/example/templates/blob/main/template.yaml',
    };
    const refused = await request(server)
      .post('/api/catalog/locations')
      .set(as('dana.scientist'))
      .send(location);
    expect(refused.status).toBe(403);
    const locations = async () =>
      (
        await request(server)
          .get('/api/catalog/locations')
          .set(as('priya.platform'))
      ).body.map((l: { data: { target: string } }) => l.data.target);
    expect(await locations()).not.toContain(location.target);
    expect(
      (
        await request(server)
          .post('/api/catalog/locations')
          .set(as('priya.platform'))
          .send(location)
      ).status,
    ).toBe(201);
    expect(await locations()).toContain(location.target);
  });

  it('stops an ML Admin action in a template of someone else’s, for anyone outside ML Admin', async () => {
    const created = await runAs('dana.scientist', 'my-own-domain', {});
    expect(created.status).toBe(201);
    const { status, log } = await resultOf('dana.scientist', created);
    expect(status).toBe('failed');
    expect(log).toContain('Unauthorized action: sagemaker:domain:create');
  });
});

/**
 * With the default auth policy off (guest access, a demo), unauthenticated
 * requests reach the permission policy with no user, as services never do:
 * they must get nothing, not what a service would.
 */
describe('an unauthenticated caller', () => {
  let server: any;

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleTemplates,
        permissionPlugin,
        permissionModuleMlGovernance,
        permissionsServiceFactory,
        // The real HTTP auth: the mock's takes a request without a token for a user.
        httpAuthServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: { auth: { dangerouslyDisableDefaultAuthPolicy: true } },
            permission: { enabled: true },
            catalog: {
              rules: [{ allow: ['Template'] }],
              locations: [
                {
                  type: 'file',
                  target: path.join(
                    TEMPLATES,
                    'experiment-s3',
                    'template.yaml',
                  ),
                },
              ],
            },
          },
        }),
      ],
    }));
    await untilTemplateInCatalog(server, 'experiment-s3');
  }, 60_000);

  it('reads no entity and registers no location', async () => {
    const read = await request(server).get('/api/catalog/entities/by-query');
    expect({ status: read.status, items: read.body.items }).toEqual({
      status: 200,
      items: [],
    });
    const location = {
      type: 'url',
      target: 'https://github.com/example/templates/blob/main/template.yaml',
    };
    expect(
      (await request(server).post('/api/catalog/locations').send(location))
        .status,
    ).toBe(403);
  });
});
