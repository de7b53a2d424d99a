import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  DEFAULT_SCENARIO,
  Sandbox,
  SANDBOX_ML_ACCOUNTS,
  sandboxRootClientConfig,
  startSdkSandbox,
} from '@ml-governance/aws-sandbox';
import {
  MlAccount,
  MlPlatformConfig,
} from '@ml-governance/plugin-ml-registry-common';
import yaml from 'yaml';
import { xgboostInference } from './__testUtils__/modelPackages';
import { sandboxClients } from './__testUtils__/sandboxClients';
import { AccountStore } from './database/AccountStore';
import { AuditLog } from './database/AuditLog';
import { EndpointStore } from './database/EndpointStore';
import { migrateDatabase } from './database/migrateDatabase';
import { ModelCardStore } from './database/ModelCardStore';
import { PromotionStore } from './database/PromotionStore';
import { ResourceStore } from './database/ResourceStore';
import { VersionStore } from './database/VersionStore';
import { Promotion } from './gates/Promotion';
import { AccountSync } from './sync/AccountSync';

const IAM = path.resolve(__dirname, '../../../iam');
const { shared: SHARED, fraud: FRAUD, prod: PROD } = SANDBOX_ML_ACCOUNTS;

/**
 * A sandbox whose roles are iam/'s templates with `action` taken out of
 * `template`, as if the StackSet had been deployed that way.
 */
async function sandboxWithout(
  template: string,
  action: string,
): Promise<Sandbox> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'iam-'));
  cpSync(IAM, path.join(dir, 'iam'), { recursive: true });
  const file = path.join(dir, 'iam', template);
  const doc = yaml.parse(readFileSync(file, 'utf8'));
  let removed = 0;
  for (const policy of doc.Resources.BackstageMlRole.Properties.Policies) {
    for (const statement of policy.PolicyDocument.Statement) {
      const actions = [].concat(statement.Action);
      statement.Action = actions.filter(a => a !== action);
      removed += actions.length - statement.Action.length;
    }
    policy.PolicyDocument.Statement = policy.PolicyDocument.Statement.filter(
      (s: any) => s.Action.length > 0,
    );
  }
  if (removed === 0) throw new Error(`${template} does not grant ${action}`);
  writeFileSync(file, yaml.stringify(doc));
  const scenario = path.join(dir, 'scenario.yaml');
  // The deploy pipeline bundle stays where it is.
  const plugins = path.resolve(__dirname, '../..');
  writeFileSync(
    scenario,
    readFileSync(DEFAULT_SCENARIO, 'utf8')
      .replaceAll('../../../iam/', `${dir}/iam/`)
      .replaceAll('../../../plugins/', `${plugins}/`),
  );
  return startSdkSandbox({ stepMs: 10, scenario });
}

/**
 * The suite's integration tests run with exactly iam/'s roles (the default
 * scenario enforces them). These show the other side: take one permission
 * away and the part of the suite that needs it fails, naming it.
 */
describe('the least-privilege roles of iam/', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  async function setUp(template: string, action: string) {
    sandbox = await sandboxWithout(template, action);
    const knex = await databases.init('SQLITE_3');
    await migrateDatabase(knex);
    const clients = sandboxClients(sandbox);
    return { knex, clients, sandbox };
  }

  const syncCases: { template: string; action: string; account: MlAccount }[] =
    [
      {
        template: 'ml-dev-account.yaml',
        action: 'sagemaker:Search',
        account: FRAUD,
      },
      {
        template: 'ml-shared-services-account.yaml',
        action: 'sagemaker:ListModelCards',
        account: SHARED,
      },
      {
        template: 'ml-deployment-account.yaml',
        action: 'sagemaker:ListEndpoints',
        account: PROD,
      },
    ];
  it.each(syncCases)(
    '$template without $action: the sync of $account.name fails with AccessDenied naming it',
    async ({ template, action, account }) => {
      const { knex, clients } = await setUp(template, action);
      const accounts = new AccountStore(knex);
      await accounts.replaceAccounts([account]);
      const sync = new AccountSync({
        clients,
        accounts,
        versions: new VersionStore(knex),
        endpoints: new EndpointStore(knex),
        modelCards: new ModelCardStore(knex),
        resources: new ResourceStore(knex),
        logger: mockServices.logger.mock(),
        onEntitiesChanged: async () => {},
      });
      const [result] = await sync.syncAll([account], 1);
      expect(result).toMatchObject({
        ok: false,
        error: expect.stringContaining('AccessDenied'),
      });
      expect(result.ok === false && result.error).toContain(
        `is not authorized to perform: ${action}`,
      );
    },
  );

  it.each([
    's3:PutObject',
    'sagemaker:CreateModelPackage',
    'ecr:BatchGetImage',
  ])(
    'ml-shared-services-account.yaml without %s: promotion fails with AccessDenied naming it',
    async action => {
      const {
        knex,
        clients,
        sandbox: s,
      } = await setUp('ml-shared-services-account.yaml', action);
      const root = {
        ...sandboxRootClientConfig(s, FRAUD.accountId),
        forcePathStyle: true,
      };
      const bucket = `sagemaker-us-east-1-${FRAUD.accountId}`;
      await new S3Client(root).send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'risk/v1/model.tar.gz',
          Body: 'weights',
        }),
      );
      await new SageMakerClient(root).send(
        new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'risk' }),
      );
      const { ModelPackageArn } = await new SageMakerClient(root).send(
        new CreateModelPackageCommand({
          ModelPackageGroupName: 'risk',
          ModelApprovalStatus: 'Approved',
          InferenceSpecification: xgboostInference(
            `s3://${bucket}/risk/v1/model.tar.gz`,
          ),
        }),
      );
      const platform: MlPlatformConfig = {
        region: 'us-east-1',
        accounts: [SHARED, FRAUD],
      };
      const promotion = new Promotion({
        clients,
        platform,
        versions: new VersionStore(knex),
        promotions: new PromotionStore(knex),
        audit: new AuditLog(knex),
        logger: mockServices.logger.mock(),
      });
      const error: Error = await promotion
        .promote(ModelPackageArn!)
        .catch(e => e);
      expect(`${error.name}: ${error.message}`).toMatch(
        new RegExp(`AccessDenied.*is not authorized to perform: ${action}`),
      );
    },
  );
});
