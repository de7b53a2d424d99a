import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ServiceCatalogClient } from '@aws-sdk/client-service-catalog';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplates from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import request from 'supertest';
import yaml from 'yaml';
import { startActionSandbox } from '../__testUtils__/actionSandbox';
import {
  taskResult,
  untilTemplateInCatalog,
} from '../__testUtils__/scaffolderTasks';
import { scaffolderModuleMlActions } from '../module';
import { main } from './cli';
import { portfolioTemplates, writeTemplateFiles } from './portfolioTemplates';

const OWNER = 'group:default/platform-engineers';
const FACTORY = 'sc-ml-admin-aws-control-tower-account-factory';

describe('moving a Service Catalog portfolio to the Create page', () => {
  let env: Awaited<ReturnType<typeof startActionSandbox>>;
  let catalog: ServiceCatalogClient;
  beforeAll(async () => {
    env = await startActionSandbox();
    catalog = await env.clients.create(ServiceCatalogClient, '111111111111');
  });
  afterAll(() => env.close());

  const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'portfolio-'));
  const read = (
    options: Partial<Parameters<typeof portfolioTemplates>[0]> = {},
  ) =>
    portfolioTemplates({
      catalog,
      portfolio: 'ML Admin',
      account: 'ml-shared-services',
      owner: OWNER,
      ...options,
    });

  it('writes a valid template per product, at its newest version, and a Location for them all', async () => {
    const files = await read();
    expect(files.map(f => f.path)).toEqual([
      'sc-ml-admin-sagemaker-studio-domain/template.yaml',
      `${FACTORY}/template.yaml`,
      'catalog-info.yaml',
    ]);
    for (const f of files.slice(0, 2)) {
      expect(
        await templateEntityV1beta3Validator.check(yaml.parse(f.text)),
      ).toBe(true);
    }
    const domain = files[0].entity.spec as any;
    // The product's newest version (v2) and the parameters read from it.
    expect(domain.steps[0].input).toEqual({
      account: 'ml-shared-services',
      productId: 'prod-smdomain0001',
      provisioningArtifactId: 'pa-smdomain00011',
      provisionedProductName: '${{ parameters.provisionedProductName }}',
      parameters: {
        DomainName: '${{ parameters.DomainName }}',
        AuthMode: '${{ parameters.AuthMode }}',
      },
    });
    expect(domain.parameters[0].required).toEqual([
      'provisionedProductName',
      'DomainName',
    ]);
    expect(domain.parameters[0].properties.AuthMode).toEqual({
      title: 'AuthMode',
      type: 'string',
      default: 'IAM',
      enum: ['IAM', 'SSO'],
    });
    expect(domain.owner).toBe(OWNER);
    expect(files[2].entity.spec).toEqual({
      targets: [
        './sc-ml-admin-sagemaker-studio-domain/template.yaml',
        `./${FACTORY}/template.yaml`,
      ],
    });
    // By id, the same.
    expect(
      (await read({ portfolio: 'port-mladmin0001' })).map(f => f.text),
    ).toEqual(files.map(f => f.text));
  });

  it('names an unknown portfolio and lists the ones there are', async () => {
    await expect(read({ portfolio: 'ML Amdin' })).rejects.toThrow(
      "No portfolio 'ML Amdin' in this account; its portfolios are: 'ML Admin' (port-mladmin0001), 'SageMaker Projects' (port-smproj0001)",
    );
  });

  it('re-runs without change, refuses to overwrite an edited file (writing nothing), and overwrites it with force', async () => {
    const dir = tmp();
    const files = await read();
    expect(writeTemplateFiles(dir, files).map(f => f.status)).toEqual([
      'created',
      'created',
      'created',
    ]);
    expect(writeTemplateFiles(dir, files).map(f => f.status)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
    ]);

    const edited = path.join(
      dir,
      'sc-ml-admin-sagemaker-studio-domain/template.yaml',
    );
    writeFileSync(edited, `${readFileSync(edited, 'utf8')}# edited by hand\n`);
    const more = [...files, { ...files[0], path: 'another/template.yaml' }];
    expect(() => writeTemplateFiles(dir, more)).toThrow(
      `These files differ from what the portfolio gives and were left as they are (use --force to overwrite): ${edited}`,
    );
    expect(readFileSync(edited, 'utf8')).toContain('# edited by hand');
    expect(existsSync(path.join(dir, 'another'))).toBe(false);

    expect(
      writeTemplateFiles(dir, files, { force: true }).map(f => f.status),
    ).toEqual(['overwritten', 'unchanged', 'unchanged']);
    expect(readFileSync(edited, 'utf8')).toBe(files[0].text);
  });

  describe('the command', () => {
    const run = async (args: string[]) => {
      const lines: string[] = [];
      const code = await main(args, {
        log: l => lines.push(l),
        error: l => lines.push(l),
      });
      return { code, output: lines.join('\n') };
    };
    const configFile = () => {
      const file = path.join(tmp(), 'app-config.yaml');
      writeFileSync(
        file,
        yaml.stringify({
          mlRegistry: env.config.get('mlRegistry'),
          aws: env.config.get('aws'),
        }),
      );
      return file;
    };

    it('writes the templates with the app config’s credentials and says how to register them', async () => {
      const out = tmp();
      const { code, output } = await run([
        '--config',
        configFile(),
        '--portfolio',
        'SageMaker Projects',
        '--account',
        'ml-shared-services',
        '--owner',
        'platform-engineers',
        '--audience',
        'ml-experiment',
        '--out',
        out,
      ]);
      expect(output).toContain(`target: ${out}/catalog-info.yaml`);
      expect(code).toBe(0);
      const template = yaml.parse(
        readFileSync(
          path.join(
            out,
            'sc-sagemaker-projects-experiment-pipeline-on-s3/template.yaml',
          ),
          'utf8',
        ),
      );
      expect(template.spec.owner).toBe(OWNER);
      expect(
        template.metadata.annotations['ml-governance.io/template-audience'],
      ).toBe('ml-experiment');
    });

    it('fails clearly on bad input, writing nothing', async () => {
      const out = tmp();
      const config = configFile();
      const adminTemplates = (account: string, owner: string) =>
        run([
          '--config',
          config,
          '--portfolio',
          'ML Admin',
          '--account',
          account,
          '--owner',
          owner,
          '--out',
          out,
        ]);
      expect(await adminTemplates('ml-prodd', OWNER)).toEqual({
        code: 1,
        output:
          "InputError: --account: 'ml-prodd' is not a configured ML account (configured: ml-shared-services, fraud-dev, churn-dev, ml-test, ml-prod, data-governance)",
      });
      expect(
        (await run(['--config', config, '--account', 'ml-shared-services']))
          .output,
      ).toMatch(/^Missing --portfolio, --owner\n/);
      expect(await adminTemplates('ml-shared-services', 'component:x')).toEqual(
        {
          code: 1,
          output:
            "InputError: --owner: 'component:x' is not a group or user reference such as group:default/platform-engineers",
        },
      );
      expect(existsSync(path.join(out, 'catalog-info.yaml'))).toBe(false);
    });
  });

  it('a template written from the portfolio provisions its product through the real scaffolder', async () => {
    const dir = tmp();
    writeTemplateFiles(dir, await read());
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleMlActions,
        catalogPlugin,
        catalogModuleTemplates,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Template', 'Location'] }],
              locations: [
                { type: 'file', target: path.join(dir, 'catalog-info.yaml') },
              ],
            },
            mlRegistry: env.config.get('mlRegistry'),
            aws: env.config.get('aws'),
          },
        }),
      ],
    });
    const priya = mockCredentials.user.header('user:default/priya.platform');
    await untilTemplateInCatalog(server, FACTORY);
    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('authorization', priya)
      .send({
        templateRef: `template:default/${FACTORY}`,
        values: {
          provisionedProductName: 'ml-dev-vision',
          AccountName: 'ml-dev-vision',
          AccountEmail: 'ml-dev-vision@example.com',
          ManagedOrganizationalUnit: 'ML-Dev',
        },
      });
    expect(created.status).toBe(201);
    const task = await taskResult(server, priya, created.body.id);
    expect(task.status).toBe('completed');
    expect(task.output.text[0].content).toMatch(
      /^ml-dev-vision is provisioned \(record rec-\w+\)\. Outputs: .*"AccountEmail":"ml-dev-vision@example.com"/,
    );
  }, 60_000);
});
