import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  CreateModelPackageGroupCommand,
  DeleteModelPackageGroupCommand,
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { Sandbox, startSandbox } from '@ml-governance/aws-sandbox';
import { MlAccount } from '@ml-governance/plugin-ml-registry-common';
import { AwsClientFactory } from '@ml-governance/plugin-ml-registry-node';
import { AccountStore } from '../database/AccountStore';
import { migrateDatabase } from '../database/migrateDatabase';
import { VersionStore } from '../database/VersionStore';
import { EndpointStore } from '../database/EndpointStore';
import { DATABASES } from '../__testUtils__/databases';
import { AccountSync } from './AccountSync';
import { metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';

const SHARED: MlAccount = { accountId: '111111111111', stage: 'shared-services', name: 'ml-shared-services' };
const FRAUD: MlAccount = { accountId: '222222222222', stage: 'dev', name: 'fraud-dev' };
const CHURN: MlAccount = { accountId: '222222222223', stage: 'dev', name: 'churn-dev' };
const PROD: MlAccount = { accountId: '444444444444', stage: 'prod', name: 'ml-prod' };
const ACCOUNTS = [SHARED, FRAUD, CHURN, PROD];

/** Reads metrics on demand, for assertions. */
class InMemoryReader extends MetricReader {
  protected async onShutdown() {}
  protected async onForceFlush() {}
}

async function metricPoints(reader: MetricReader, name: string) {
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics.scopeMetrics.flatMap(s => s.metrics).find(m => m.descriptor.name === name)?.dataPoints ?? [];
}

describe('AccountSync', () => {
  const databases = TestDatabases.create({ ids: DATABASES });
  const reader = new InMemoryReader();
  beforeAll(() => metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] })));
  afterAll(() => metrics.disable());

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let sandbox: Sandbox;
    let accounts: AccountStore;
    let versions: VersionStore;
    let endpoints: EndpointStore;
    let sync: AccountSync;
    const root = (accountId: string) =>
      new SageMakerClient({ endpoint: sandbox.url, region: 'us-east-1', credentials: { accessKeyId: accountId, secretAccessKey: 'x' } });
    const calls = (operation: string, accountId: string) =>
      sandbox.counters()[`sagemaker:${operation}`]?.[accountId] ?? 0;

    beforeAll(async () => {
      sandbox = await startSandbox({ port: 0, stepMs: 10 });
      process.env.AWS_ENDPOINT_URL_STS = sandbox.url;
      const knex = await databases.init(databaseId);
      await migrateDatabase(knex);
      accounts = new AccountStore(knex);
      versions = new VersionStore(knex);
      endpoints = new EndpointStore(knex);
      await accounts.replaceAccounts(ACCOUNTS);
      const clients = AwsClientFactory.fromConfig(new ConfigReader({
        mlRegistry: { endpoint: sandbox.url, maxAttempts: 1 },
        aws: {
          mainAccount: { accessKeyId: '999999999999', secretAccessKey: 'x' },
          accountDefaults: { roleName: 'backstage-ml' },
        },
      }));
      sync = new AccountSync({ clients, accounts, versions, endpoints, logger: mockServices.logger.mock() });
    });
    afterAll(async () => {
      delete process.env.AWS_ENDPOINT_URL_STS;
      await sandbox.close();
    });

    it('reads every group and version on the first sync, with lineage to the dev package', async () => {
      const results = await sync.syncAll(ACCOUNTS, 2);
      expect(results.every(r => r.ok)).toBe(true);
      const fraud = await versions.listVersions({ accountId: FRAUD.accountId });
      expect(fraud.map(v => [v.version, v.approvalStatus])).toEqual([
        [1, 'Approved'], [2, 'Approved'], [3, 'PendingManualApproval'], [4, 'Rejected'],
      ]);
      expect(fraud[3].approvalDescription).toBe('AUC below 0.90 on the holdout set');
      expect(fraud[0].metadata.accuracy).toEqual(expect.any(String));
      const central = await versions.listVersions({ accountId: SHARED.accountId, groupName: 'fraud-detection' });
      expect(central.map(v => v.sourceArn)).toEqual([fraud[0].arn, fraud[1].arn]);
      expect(await versions.listGroups(SHARED.accountId)).toEqual(['churn-prediction', 'fraud-detection']);
      expect(await endpoints.listEndpoints(PROD.accountId)).toEqual([expect.objectContaining({
        name: 'fraud-detection-prod', status: 'InService',
        modelPackageArn: `arn:aws:sagemaker:us-east-1:${SHARED.accountId}:model-package/fraud-detection/1`,
      })]);
      const status = (await accounts.listAccounts()).find(a => a.accountId === FRAUD.accountId);
      expect(status).toMatchObject({ stale: false, lastSyncAt: expect.any(String) });
    });

    it('costs an unchanged account three calls, and reads only what changed since its cursor', async () => {
      sandbox.core.resetCounters();
      const unchanged = await sync.sync(PROD);
      const total = Object.values(sandbox.counters()).reduce((n, byAccount) => n + (byAccount[PROD.accountId] ?? 0), 0);
      expect(calls('ListTags', PROD.accountId)).toBe(0);
      expect(total).toBe(3);
      expect(unchanged).toMatchObject({ ok: true, endpoints: 1 });

      // The cursor is the newest LastModifiedTime seen; versions sharing it are read again.
      const before = await versions.listVersions({ accountId: FRAUD.accountId });
      const newest = Math.max(...before.map(v => v.lastModifiedAt.getTime()));
      const boundary = before.filter(v => v.lastModifiedAt.getTime() === newest && v.version !== 3);
      await new Promise(r => setTimeout(r, 20));
      await root(FRAUD.accountId).send(new UpdateModelPackageCommand({
        ModelPackageArn: `arn:aws:sagemaker:us-east-1:${FRAUD.accountId}:model-package/fraud-detection/3`,
        ModelApprovalStatus: 'Approved', ApprovalDescription: 'Approved by user:default/leo.lead',
      }));
      const changed = await sync.sync(FRAUD);
      expect(changed).toMatchObject({ ok: true, versionsRead: boundary.length + 1 });
      expect(boundary.length).toBeLessThan(3);
      const v3 = (await versions.listVersions({ accountId: FRAUD.accountId })).find(v => v.version === 3);
      expect(v3).toMatchObject({ approvalStatus: 'Approved', approvalDescription: 'Approved by user:default/leo.lead' });
    });

    it('keeps a failing account\'s last good data, marked stale, and the others unaffected', async () => {
      sandbox.setFaults([{ account: FRAUD.accountId, down: true }]);
      const results = await sync.syncAll([FRAUD, CHURN], 2);
      sandbox.setFaults([]);
      expect(results.find(r => r.accountId === FRAUD.accountId)).toMatchObject({ ok: false, error: expect.stringContaining('unavailable') });
      expect(results.find(r => r.accountId === CHURN.accountId)).toMatchObject({ ok: true });
      expect(await versions.listVersions({ accountId: FRAUD.accountId })).toHaveLength(4);
      const status = await accounts.listAccounts();
      expect(status.find(a => a.accountId === FRAUD.accountId)).toMatchObject({
        stale: true, lastError: expect.stringContaining('unavailable'), lastSyncAt: expect.any(String),
      });
      expect(status.find(a => a.accountId === CHURN.accountId)).toMatchObject({ stale: false });
      expect(await metricPoints(reader, 'ml_registry.sync.errors')).toContainEqual(
        expect.objectContaining({ attributes: { account_id: FRAUD.accountId, error: 'ServiceUnavailable' } }),
      );
      const lag = await metricPoints(reader, 'ml_registry.sync.lag');
      expect(lag.map(p => p.attributes.account_id)).toEqual(expect.arrayContaining([FRAUD.accountId, CHURN.accountId]));
    });

    it('drops a group only once a successful sync says it is gone', async () => {
      await root(CHURN.accountId).send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'short-lived' }));
      await sync.sync(CHURN);
      expect(await versions.listGroups(CHURN.accountId)).toEqual(['churn-prediction', 'short-lived']);
      await root(CHURN.accountId).send(new DeleteModelPackageGroupCommand({ ModelPackageGroupName: 'short-lived' }));
      sandbox.setFaults([{ account: CHURN.accountId, accessDenied: true }]);
      await sync.sync(CHURN);
      sandbox.setFaults([]);
      expect(await versions.listGroups(CHURN.accountId)).toEqual(['churn-prediction', 'short-lived']);
      await sync.sync(CHURN);
      expect(await versions.listGroups(CHURN.accountId)).toEqual(['churn-prediction']);
    });
  });
});
