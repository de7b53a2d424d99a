import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { PutBucketPolicyCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  ListModelCardVersionsCommand,
  ListModelPackagesCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { Sandbox, startSandbox, SANDBOX_AWS_CONFIG } from '@ml-governance/aws-sandbox';
import { MlPlatformConfig } from '@ml-governance/plugin-ml-registry-common';
import { AwsClientFactory } from '@ml-governance/plugin-ml-registry-node';
import { AuditLog } from '../database/AuditLog';
import { migrateDatabase } from '../database/migrateDatabase';
import { PromotionStore } from '../database/PromotionStore';
import { VersionStore } from '../database/VersionStore';
import { DATABASES } from '../__testUtils__/databases';
import { Promotion } from './Promotion';

const DEV = '222222222222';
const SHARED = '111111111111';
const platform: MlPlatformConfig = {
  region: 'us-east-1',
  accounts: [
    { accountId: SHARED, stage: 'shared-services', name: 'ml-shared' },
    { accountId: DEV, stage: 'dev', name: 'fraud-dev' },
    { accountId: '333333333333', stage: 'test', name: 'ml-test' },
  ],
};

describe('Promotion', () => {
  const databases = TestDatabases.create({ ids: DATABASES });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let sandbox: Sandbox;
    let promotion: Promotion;
    let promotions: PromotionStore;
    let audit: AuditLog;
    const client = <T>(Client: new (c: any) => T, account: string) =>
      new Client({ endpoint: sandbox.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: account, secretAccessKey: 'x' } });

    beforeAll(async () => {
      sandbox = await startSandbox({ port: 0, stepMs: 10 });
      process.env.AWS_ENDPOINT_URL_STS = sandbox.url;
      const knex = await databases.init(databaseId);
      await migrateDatabase(knex);
      promotions = new PromotionStore(knex);
      audit = new AuditLog(knex);
      promotion = new Promotion({
        clients: AwsClientFactory.fromConfig(new ConfigReader({
          mlRegistry: { endpoint: sandbox.url, maxAttempts: 1 },
          aws: SANDBOX_AWS_CONFIG,
        })),
        platform, versions: new VersionStore(knex), promotions, audit, logger: mockServices.logger.mock(),
      });
    });
    afterAll(async () => {
      delete process.env.AWS_ENDPOINT_URL_STS;
      await sandbox.close();
    });

    /** A new model in the dev registry, approved, with its artifact in the team's bucket. */
    async function approvedDevVersion(group: string): Promise<string> {
      const bucket = `sagemaker-us-east-1-${DEV}`;
      await client(S3Client, DEV).send(new PutObjectCommand({ Bucket: bucket, Key: `${group}/v1/model.tar.gz`, Body: 'weights' }));
      await client(SageMakerClient, DEV).send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: group }));
      const { ModelPackageArn } = await client(SageMakerClient, DEV).send(new CreateModelPackageCommand({
        ModelPackageGroupName: group,
        ModelApprovalStatus: 'Approved',
        InferenceSpecification: {
          Containers: [{ Image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1', ModelDataUrl: `s3://${bucket}/${group}/v1/model.tar.gz` }],
          SupportedContentTypes: ['text/csv'], SupportedResponseMIMETypes: ['text/csv'],
        },
        CustomerMetadataProperties: { auc: '0.95' },
      }));
      return ModelPackageArn!;
    }

    const centralPackages = async (group: string) =>
      (await client(SageMakerClient, SHARED).send(new ListModelPackagesCommand({ ModelPackageGroupName: group }))).ModelPackageSummaryList ?? [];
    const cardVersions = async (group: string) =>
      (await client(SageMakerClient, SHARED).send(new ListModelCardVersionsCommand({ ModelCardName: group }))).ModelCardVersionSummaryList ?? [];

    it.each(['CreateModelPackageGroup', 'CopyObject', 'CreateModelPackage', 'CreateModelCard'])(
      'resumes after failing at %s, ending with one central package and one card version',
      async operation => {
        const group = `risk-${operation.toLowerCase()}`.slice(0, 60);
        const devArn = await approvedDevVersion(group);
        sandbox.setFaults([{ account: SHARED, operation, accessDenied: true }]);
        await expect(promotion.promote(devArn)).rejects.toThrow(/not authorized|AccessDenied/);
        sandbox.setFaults([]);
        expect(await promotions.get(devArn)).toMatchObject({ status: 'failed', error: expect.stringContaining('at step') });

        const centralArn = await promotion.promote(devArn);
        // And once more, as a duplicate event or the reconcile would.
        expect(await promotion.promote(devArn)).toBe(centralArn);
        expect((await centralPackages(group)).map(p => p.ModelPackageArn)).toEqual([centralArn]);
        expect(await cardVersions(group)).toHaveLength(1);
        expect(await promotions.get(devArn)).toMatchObject({ status: 'done', centralArn });
        expect((await audit.list([devArn])).map(a => a.result)).toEqual(['failed', 'ok', 'ok']);
      },
    );

    it.each(['PendingManualApproval', 'Rejected'])('refuses to promote a version that is %s', async status => {
      const { ModelPackageArn } = await client(SageMakerClient, DEV).send(new CreateModelPackageCommand({
        ModelPackageGroupName: 'fraud-detection', ModelApprovalStatus: status as any,
      }));
      await expect(promotion.promote(ModelPackageArn!)).rejects.toThrow(`is ${status}, not Approved`);
      expect(await promotions.get(ModelPackageArn!)).toMatchObject({ status: 'failed' });
    });

    it('fails clearly when the dev bucket denies the copy, and succeeds once its policy is fixed', async () => {
      const group = 'risk-bucket-policy';
      const devArn = await approvedDevVersion(group);
      const bucket = `sagemaker-us-east-1-${DEV}`;
      const policy = (accounts: string[]) => JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: accounts }, Action: ['s3:GetObject'], Resource: `arn:aws:s3:::${bucket}/*` }],
      });
      const s3 = client(S3Client, DEV);
      await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy(['333333333333']) }));
      await expect(promotion.promote(devArn)).rejects.toThrow(`Access Denied for s3:GetObject on ${bucket}`);
      expect(await promotions.get(devArn)).toMatchObject({ status: 'failed', step: 'artifacts', error: expect.stringMatching(/^AccessDenied at step artifacts/) });
      expect(await centralPackages(group).catch(() => [])).toEqual([]);

      await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy([SHARED]) }));
      const centralArn = await promotion.promote(devArn);
      expect((await centralPackages(group)).map(p => p.ModelPackageArn)).toEqual([centralArn]);
    });
  });
});
