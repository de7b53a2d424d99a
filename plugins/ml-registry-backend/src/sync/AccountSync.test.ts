import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  CreateModelPackageGroupCommand,
  DeleteModelPackageGroupCommand,
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import {
  Sandbox,
  SANDBOX_ML_ACCOUNTS,
  sandboxRootClientConfig,
  seedScale,
  startSdkSandbox,
} from '@ml-governance/aws-sandbox';
import { MlAccount } from '@ml-governance/plugin-ml-registry-common';
import { AwsClientFactory } from '@ml-governance/plugin-ml-registry-node';
import { sandboxClients } from '../__testUtils__/sandboxClients';
import { AccountStore } from '../database/AccountStore';
import { migrateDatabase } from '../database/migrateDatabase';
import { VersionStore } from '../database/VersionStore';
import { EndpointStore } from '../database/EndpointStore';
import { ModelCardStore } from '../database/ModelCardStore';
import { ResourceStore } from '../database/ResourceStore';
import { DATABASES } from '../__testUtils__/databases';
import { AccountSync } from './AccountSync';
import { DefaultEventsService } from '@backstage/plugin-events-node';
import { MODEL_PACKAGE_STATE_CHANGE } from '../events/awsEvent';
import { syncOnEvents } from './syncOnEvents';
import { metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';

const {
  shared: SHARED,
  fraud: FRAUD,
  churn: CHURN,
  prod: PROD,
} = SANDBOX_ML_ACCOUNTS;
const ACCOUNTS = [SHARED, FRAUD, CHURN, PROD];
// Seeded with 300 versions for the throttling storm.
const STORM: MlAccount = {
  accountId: '700000000000',
  stage: 'dev',
  name: 'storm-dev',
};

/** Reads metrics on demand, for assertions. */
class InMemoryReader extends MetricReader {
  protected async onShutdown() {}
  protected async onForceFlush() {}
}

async function metricPoints(reader: MetricReader, name: string) {
  const { resourceMetrics } = await reader.collect();
  return (
    resourceMetrics.scopeMetrics
      .flatMap(s => s.metrics)
      .find(m => m.descriptor.name === name)?.dataPoints ?? []
  );
}

describe('AccountSync', () => {
  const databases = TestDatabases.create({ ids: DATABASES });
  const reader = new InMemoryReader();
  beforeAll(() =>
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] })),
  );
  afterAll(() => metrics.disable());

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let sandbox: Sandbox;
    let accounts: AccountStore;
    let versions: VersionStore;
    let endpoints: EndpointStore;
    let modelCards: ModelCardStore;
    let resources: ResourceStore;
    let sync: AccountSync;
    const changedAccounts: string[] = [];
    const root = (accountId: string) =>
      new SageMakerClient(sandboxRootClientConfig(sandbox, accountId));
    /** A sync over this database's stores through `clients`. */
    const syncWith = (
      clients: AwsClientFactory,
      options: {
        onEntitiesChanged?: (accountId: string) => Promise<void>;
      } = {},
    ) =>
      new AccountSync({
        clients,
        accounts,
        versions,
        endpoints,
        modelCards,
        resources,
        logger: mockServices.logger.mock(),
        ...options,
      });
    const calls = (operation: string, accountId: string) =>
      sandbox.counters()[`sagemaker:${operation}`]?.[accountId] ?? 0;

    beforeAll(async () => {
      sandbox = await startSdkSandbox({ stepMs: 10 });
      // The seeded churn pipeline runs to its manual approval; its build's calls would count as the sync's.
      await sandbox.settled();
      const knex = await databases.init(databaseId);
      await migrateDatabase(knex);
      accounts = new AccountStore(knex);
      versions = new VersionStore(knex);
      endpoints = new EndpointStore(knex);
      modelCards = new ModelCardStore(knex);
      resources = new ResourceStore(knex);
      await accounts.replaceAccounts([...ACCOUNTS, STORM]);
      sync = syncWith(sandboxClients(sandbox), {
        onEntitiesChanged: async accountId => {
          changedAccounts.push(accountId);
        },
      });
      // Starting and settling the sandbox takes longer than five seconds on a loaded machine.
    }, 60_000);
    afterAll(() => sandbox.close());

    it('reads every group and version on the first sync, with lineage to the dev package', async () => {
      const results = await sync.syncAll(ACCOUNTS, 2);
      expect(results.every(r => r.ok)).toBe(true);
      const fraud = await versions.listVersions({ accountId: FRAUD.accountId });
      expect(fraud.map(v => [v.version, v.approvalStatus])).toEqual([
        [1, 'Approved'],
        [2, 'Approved'],
        [3, 'PendingManualApproval'],
        [4, 'Rejected'],
      ]);
      expect(fraud[3].approvalDescription).toBe(
        'AUC below 0.90 on the holdout set',
      );
      expect(fraud[0].metadata.accuracy).toEqual(expect.any(String));
      const central = await versions.listVersions({
        accountId: SHARED.accountId,
        groupName: 'fraud-detection',
      });
      expect(central.map(v => v.sourceArn)).toEqual([
        fraud[0].arn,
        fraud[1].arn,
      ]);
      expect(await versions.listGroups(SHARED.accountId)).toEqual([
        'churn-prediction',
        'fraud-detection',
      ]);
      expect(
        await endpoints.listEndpoints({ accountId: PROD.accountId }),
      ).toEqual([
        expect.objectContaining({
          name: 'fraud-detection-prod',
          status: 'InService',
          modelPackageArn: `arn:aws:sagemaker:us-east-1:${SHARED.accountId}:model-package/fraud-detection/1`,
        }),
      ]);
      const status = (await accounts.listAccounts()).find(
        a => a.accountId === FRAUD.accountId,
      );
      expect(status).toMatchObject({
        stale: false,
        lastSyncAt: expect.any(String),
      });

      expect(fraud[0]).toMatchObject({
        projectId: expect.stringMatching(/^p-/),
        trainingData: expect.stringMatching(/^s3:\/\//),
      });
      expect(
        (await resources.list()).map(r => [r.accountId, r.kind, r.name]),
      ).toEqual([
        [FRAUD.accountId, 'domain', 'fraud-studio'],
        [FRAUD.accountId, 'project', 'fraud-experiments'],
        [CHURN.accountId, 'domain', 'churn-studio'],
        [CHURN.accountId, 'project', 'churn-experiments'],
      ]);
      const card = await modelCards.get(SHARED.accountId, 'fraud-detection');
      expect(card).toMatchObject({ status: 'Approved', version: 2 });
      expect(JSON.parse(card!.content!).model_overview.model_name).toBe(
        'fraud-detection',
      );
      expect(await versions.history(fraud[3].arn)).toEqual([
        expect.objectContaining({
          approvalStatus: 'Rejected',
          approvalDescription: 'AUC below 0.90 on the holdout set',
        }),
      ]);
      expect(new Set(changedAccounts)).toEqual(
        new Set(ACCOUNTS.map(a => a.accountId)),
      );
    });

    it('costs an unchanged account at most three calls, and reads only what changed since its cursor', async () => {
      sandbox.core.resetCounters();
      changedAccounts.length = 0;
      const results = await sync.syncAll(ACCOUNTS, 2);
      const total = (accountId: string) =>
        Object.values(sandbox.counters()).reduce(
          (n, byAccount) => n + (byAccount[accountId] ?? 0),
          0,
        );
      // Endpoints only in test and prod; the registry (groups, search) in dev and shared services,
      // with the model cards in shared services; projects and domains of dev accounts only when due.
      expect(ACCOUNTS.map(a => [a.name, total(a.accountId)])).toEqual([
        [SHARED.name, 3],
        [FRAUD.name, 2],
        [CHURN.name, 2],
        [PROD.name, 1],
      ]);
      expect(calls('ListTags', PROD.accountId)).toBe(0);
      expect(calls('DescribeModelCard', SHARED.accountId)).toBe(0);
      expect(results.find(r => r.accountId === PROD.accountId)).toMatchObject({
        ok: true,
        endpoints: 1,
        entitiesChanged: false,
      });
      // Versions modified in the cursor's second are read again, but change nothing.
      expect(changedAccounts.filter(a => a === PROD.accountId)).toEqual([]);
      const history = await versions.history(
        `arn:aws:sagemaker:us-east-1:${FRAUD.accountId}:model-package/fraud-detection/3`,
      );
      expect(history.map(h => h.approvalStatus)).toEqual([
        'PendingManualApproval',
      ]);

      // The cursor is the newest LastModifiedTime seen; versions sharing it are read again.
      const before = await versions.listVersions({
        accountId: FRAUD.accountId,
      });
      const newest = Math.max(...before.map(v => v.lastModifiedAt.getTime()));
      const boundary = before.filter(
        v => v.lastModifiedAt.getTime() === newest && v.version !== 3,
      );
      await new Promise(r => setTimeout(r, 20));
      await root(FRAUD.accountId).send(
        new UpdateModelPackageCommand({
          ModelPackageArn: `arn:aws:sagemaker:us-east-1:${FRAUD.accountId}:model-package/fraud-detection/3`,
          ModelApprovalStatus: 'Approved',
          ApprovalDescription: 'Approved by user:default/leo.lead',
        }),
      );
      const changed = await sync.sync(FRAUD);
      expect(changed).toMatchObject({
        ok: true,
        versionsRead: boundary.length + 1,
      });
      const v3 = (
        await versions.listVersions({ accountId: FRAUD.accountId })
      ).find(v => v.version === 3);
      expect(v3).toMatchObject({
        approvalStatus: 'Approved',
        approvalDescription: 'Approved by user:default/leo.lead',
      });
      expect(
        (await versions.history(v3!.arn)).map(h => [
          h.approvalStatus,
          h.changedBy,
        ]),
      ).toEqual([
        ['PendingManualApproval', 'arn:aws:iam::222222222222:root'],
        ['Approved', 'arn:aws:iam::222222222222:root'],
      ]);
    });

    it("keeps a failing account's last good data, marked stale, and the others unaffected", async () => {
      sandbox.setFaults([{ account: FRAUD.accountId, down: true }]);
      const results = await sync.syncAll([FRAUD, CHURN], 2);
      sandbox.setFaults([]);
      expect(results.find(r => r.accountId === FRAUD.accountId)).toMatchObject({
        ok: false,
        error: expect.stringContaining('unavailable'),
      });
      expect(results.find(r => r.accountId === CHURN.accountId)).toMatchObject({
        ok: true,
      });
      expect(
        await versions.listVersions({ accountId: FRAUD.accountId }),
      ).toHaveLength(4);
      const status = await accounts.listAccounts();
      expect(status.find(a => a.accountId === FRAUD.accountId)).toMatchObject({
        stale: true,
        lastError: expect.stringContaining('unavailable'),
        lastSyncAt: expect.any(String),
      });
      expect(status.find(a => a.accountId === CHURN.accountId)).toMatchObject({
        stale: false,
      });
      expect(
        await metricPoints(reader, 'ml_registry.sync.errors'),
      ).toContainEqual(
        expect.objectContaining({
          attributes: {
            account_id: FRAUD.accountId,
            error: 'ServiceUnavailable',
          },
        }),
      );
      const lag = await metricPoints(reader, 'ml_registry.sync.lag');
      expect(lag.map(p => p.attributes.account_id)).toEqual(
        expect.arrayContaining([FRAUD.accountId, CHURN.accountId]),
      );
    });

    it('drops a group only once a successful sync says it is gone', async () => {
      await root(CHURN.accountId).send(
        new CreateModelPackageGroupCommand({
          ModelPackageGroupName: 'short-lived',
        }),
      );
      await sync.sync(CHURN);
      expect(await versions.listGroups(CHURN.accountId)).toEqual([
        'churn-prediction',
        'short-lived',
      ]);
      await root(CHURN.accountId).send(
        new DeleteModelPackageGroupCommand({
          ModelPackageGroupName: 'short-lived',
        }),
      );
      sandbox.setFaults([{ account: CHURN.accountId, accessDenied: true }]);
      await sync.sync(CHURN);
      sandbox.setFaults([]);
      expect(await versions.listGroups(CHURN.accountId)).toEqual([
        'churn-prediction',
        'short-lived',
      ]);
      await sync.sync(CHURN);
      expect(await versions.listGroups(CHURN.accountId)).toEqual([
        'churn-prediction',
      ]);
    });

    it("ends in AWS's latest state whatever the order and number of the events", async () => {
      const events = DefaultEventsService.create({
        logger: mockServices.logger.mock(),
      });
      await syncOnEvents({
        events,
        topic: 'ml-registry',
        accounts: ACCOUNTS,
        sync,
        logger: mockServices.logger.mock(),
      });
      const arn = `arn:aws:sagemaker:us-east-1:${FRAUD.accountId}:model-package/fraud-detection/2`;
      const eventFor = (status: string) => ({
        topic: 'ml-registry',
        eventPayload: {
          'detail-type': MODEL_PACKAGE_STATE_CHANGE,
          source: 'aws.sagemaker',
          account: FRAUD.accountId,
          resources: [arn],
          detail: { ModelPackageArn: arn, ModelApprovalStatus: status },
        },
      });
      const before = await versions.history(arn);
      const client = root(FRAUD.accountId);
      await client.send(
        new UpdateModelPackageCommand({
          ModelPackageArn: arn,
          ModelApprovalStatus: 'Rejected',
          ApprovalDescription: 'bias report missing',
        }),
      );
      await new Promise(r => setTimeout(r, 5));
      await client.send(
        new UpdateModelPackageCommand({
          ModelPackageArn: arn,
          ModelApprovalStatus: 'Approved',
          ApprovalDescription: 'bias report added',
        }),
      );
      // The newest event first, then the older one, then duplicates of both.
      await events.publish(eventFor('Approved'));
      await events.publish(eventFor('Rejected'));
      await Promise.all([
        events.publish(eventFor('Approved')),
        events.publish(eventFor('Rejected')),
        events.publish(eventFor('Rejected')),
      ]);
      expect(await versions.getVersion(arn)).toMatchObject({
        approvalStatus: 'Approved',
        approvalDescription: 'bias report added',
      });
      // Each state the store saw is in the history once; the stale events added nothing.
      const history = await versions.history(arn);
      expect(history.slice(0, before.length)).toEqual(before);
      expect(
        history
          .slice(before.length)
          .map(h => [h.approvalStatus, h.approvalDescription]),
      ).toEqual([['Approved', 'bias report added']]);
      expect(
        await versions.listVersions({ accountId: FRAUD.accountId }),
      ).toHaveLength(4);
    });

    it('loses no version in a throttling storm, and one throttled out keeps its last good data', async () => {
      seedScale(sandbox.core, {
        accounts: 1,
        groups: 30,
        versions: 10,
        firstAccountId: Number(STORM.accountId),
        role: { name: 'backstage-ml', trust: ['999999999999'] },
      });
      const patient = (maxAttempts: number) =>
        syncWith(
          sandboxClients(sandbox, { maxAttempts, requestsPerSecond: 1000 }),
        );
      // Two SageMaker requests a second get through; the rest are throttled.
      sandbox.setFaults([
        {
          account: STORM.accountId,
          service: 'sagemaker',
          throttlePerSecond: 2,
        },
      ]);
      sandbox.core.resetCounters();
      const result = await patient(10).sync(STORM);
      expect(result).toMatchObject({ ok: true, groups: 30, versionsRead: 300 });
      expect(
        await versions.listVersions({ accountId: STORM.accountId }),
      ).toHaveLength(300);
      const searches = calls('Search', STORM.accountId);
      expect(searches).toBeGreaterThan(3); // three pages, plus the throttled attempts

      // Throttled out halfway through the next (full) read: nothing is written, the cursor stays.
      // (The storm ends first, so the test's own change is not throttled.)
      sandbox.setFaults([]);
      const cursor = await accounts.versionsCursor(STORM.accountId);
      await root(STORM.accountId).send(
        new UpdateModelPackageCommand({
          ModelPackageArn: `arn:aws:sagemaker:us-east-1:${STORM.accountId}:model-package/model-0-0/1`,
          ModelApprovalStatus: 'Rejected',
          ApprovalDescription: 'storm',
        }),
      );
      sandbox.setFaults([
        {
          account: STORM.accountId,
          service: 'sagemaker',
          operation: 'Search',
          throttlePerSecond: 0,
        },
      ]);
      const failed = await patient(2).sync(STORM);
      expect(failed).toMatchObject({
        ok: false,
        error: expect.stringContaining('Throttling'),
      });
      expect(await accounts.versionsCursor(STORM.accountId)).toEqual(cursor);
      expect(
        await versions.listVersions({ accountId: STORM.accountId }),
      ).toHaveLength(300);

      sandbox.setFaults([]);
      expect(await patient(2).sync(STORM)).toMatchObject({ ok: true });
      const stormVersions = await versions.listVersions({
        accountId: STORM.accountId,
      });
      expect(stormVersions).toHaveLength(300);
      expect(
        stormVersions.find(v => v.groupName === 'model-0-0' && v.version === 1),
      ).toMatchObject({
        approvalStatus: 'Rejected',
        approvalDescription: 'storm',
      });
    }, 60_000);
  });
});
