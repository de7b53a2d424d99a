import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateModelCardCommand,
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  DescribeModelCardCommand,
  DescribeModelPackageCommand,
  ListModelCardVersionsCommand,
  ListModelPackagesCommand,
  SageMakerClient,
  UpdateModelCardCommand,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { Sandbox, startSandbox } from '@ml-governance/aws-sandbox';
import { MlPlatformConfig } from '@ml-governance/plugin-ml-registry-common';
import { centralGroupName } from '@ml-governance/plugin-ml-registry-node';
import { AccountStore } from '../database/AccountStore';
import { AuditLog } from '../database/AuditLog';
import { EndpointStore } from '../database/EndpointStore';
import { migrateDatabase } from '../database/migrateDatabase';
import { ModelCardStore } from '../database/ModelCardStore';
import { PromotionStore } from '../database/PromotionStore';
import { ResourceStore } from '../database/ResourceStore';
import { VersionStore } from '../database/VersionStore';
import { catalogEntities } from '../entities/catalogEntities';
import { AccountSync } from '../sync/AccountSync';
import { DATABASES } from '../__testUtils__/databases';
import { sandboxClients } from '../__testUtils__/sandboxClients';
import { Promotion } from './Promotion';

const DEV = '222222222222';
const DEV2 = '222222222223';
const SHARED = '111111111111';
const platform: MlPlatformConfig = {
  region: 'us-east-1',
  accounts: [
    { accountId: SHARED, stage: 'shared-services', name: 'ml-shared' },
    {
      accountId: DEV,
      stage: 'dev',
      name: 'fraud-dev',
      team: 'group:default/fraud-ds',
    },
    {
      accountId: DEV2,
      stage: 'dev',
      name: 'churn-dev',
      team: 'group:default/churn-ds',
    },
    { accountId: '333333333333', stage: 'test', name: 'ml-test' },
  ],
};

describe('Promotion', () => {
  const databases = TestDatabases.create({ ids: DATABASES });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let sandbox: Sandbox;
    let promotion: Promotion;
    let promotions: PromotionStore;
    let versions: VersionStore;
    let sync: AccountSync;
    let audit: AuditLog;
    const client = <T>(Client: new (c: any) => T, account: string) =>
      new Client({
        endpoint: sandbox.url,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: account, secretAccessKey: 'x' },
      });

    beforeAll(async () => {
      sandbox = await startSandbox({ port: 0, stepMs: 10 });
      process.env.AWS_ENDPOINT_URL_STS = sandbox.url;
      const knex = await databases.init(databaseId);
      await migrateDatabase(knex);
      promotions = new PromotionStore(knex);
      versions = new VersionStore(knex);
      audit = new AuditLog(knex);
      const clients = sandboxClients(sandbox);
      promotion = new Promotion({
        clients,
        platform,
        versions,
        promotions,
        audit,
        logger: mockServices.logger.mock(),
      });
      const accounts = new AccountStore(knex);
      await accounts.replaceAccounts(platform.accounts);
      sync = new AccountSync({
        clients,
        accounts,
        versions,
        endpoints: new EndpointStore(knex),
        modelCards: new ModelCardStore(knex),
        resources: new ResourceStore(knex),
        logger: mockServices.logger.mock(),
      });
    });
    afterAll(async () => {
      delete process.env.AWS_ENDPOINT_URL_STS;
      await sandbox.close();
    });

    /** A dev version of `account`, approved, whose model data and reports are the URIs given (and its container, `container`, and metadata, `metadata`). */
    async function approvedVersionNaming(
      group: string,
      account: string,
      modelDataUrl: string,
      reports: Record<string, string> = {},
      container: { Image?: string; Environment?: Record<string, string> } = {},
      metadata?: Record<string, string>,
    ) {
      const sagemaker = client(SageMakerClient, account);
      await sagemaker
        .send(
          new CreateModelPackageGroupCommand({ ModelPackageGroupName: group }),
        )
        .catch(() => undefined);
      const report = (uri: string) => ({
        ContentType: 'application/json',
        S3Uri: uri,
      });
      const { ModelPackageArn } = await sagemaker.send(
        new CreateModelPackageCommand({
          ModelPackageGroupName: group,
          ModelApprovalStatus: 'Approved',
          InferenceSpecification: {
            Containers: [
              {
                Image:
                  '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
                ModelDataUrl: modelDataUrl,
                ...container,
              },
            ],
            SupportedContentTypes: ['text/csv'],
            SupportedResponseMIMETypes: ['text/csv'],
          },
          CustomerMetadataProperties: metadata,
          ModelMetrics: {
            ...(reports.preTraining || reports.postTraining
              ? {
                  Bias: {
                    ...(reports.preTraining
                      ? { PreTrainingReport: report(reports.preTraining) }
                      : {}),
                    ...(reports.postTraining
                      ? { PostTrainingReport: report(reports.postTraining) }
                      : {}),
                  },
                }
              : {}),
            ...(reports.quality
              ? { ModelQuality: { Statistics: report(reports.quality) } }
              : {}),
          },
        }),
      );
      return ModelPackageArn!;
    }
    const put = (account: string, bucket: string, key: string, body: string) =>
      client(S3Client, account).send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }),
      );

    /** A new version in a dev registry (its group made when missing), approved, with its artifact in the team's bucket. */
    async function approvedDevVersion(
      group: string,
      account = DEV,
    ): Promise<string> {
      const bucket = `sagemaker-us-east-1-${account}`;
      const existing = await client(SageMakerClient, account)
        .send(new ListModelPackagesCommand({ ModelPackageGroupName: group }))
        .catch(() => undefined);
      const key = `${group}/v${
        (existing?.ModelPackageSummaryList?.length ?? 0) + 1
      }/model.tar.gz`;
      await put(account, bucket, key, 'weights');
      return approvedVersionNaming(
        group,
        account,
        `s3://${bucket}/${key}`,
        {},
        {},
        { auc: '0.95' },
      );
    }

    /** The central packages of a group, by version, with the dev package each was promoted from. */
    const centralPackages = async (group: string) => {
      const sagemaker = client(SageMakerClient, SHARED);
      const list =
        (
          await sagemaker.send(
            new ListModelPackagesCommand({ ModelPackageGroupName: group }),
          )
        ).ModelPackageSummaryList ?? [];
      list.sort((a, b) => a.ModelPackageVersion! - b.ModelPackageVersion!);
      return Promise.all(
        list.map(async p => ({
          ...p,
          source: (
            await sagemaker.send(
              new DescribeModelPackageCommand({
                ModelPackageName: p.ModelPackageArn,
              }),
            )
          ).CustomerMetadataProperties?.['source-model-package-arn'],
        })),
      );
    };
    const cardVersions = async (group: string) =>
      (
        await client(SageMakerClient, SHARED).send(
          new ListModelCardVersionsCommand({ ModelCardName: group }),
        )
      ).ModelCardVersionSummaryList ?? [];

    it.each([
      'CreateModelPackageGroup',
      'CopyObject',
      'CreateModelPackage',
      'CreateModelCard',
    ])(
      'resumes after failing at %s, ending with one central package and one card version',
      async operation => {
        const group = `risk-${operation.toLowerCase()}`.slice(0, 60);
        const devArn = await approvedDevVersion(group);
        sandbox.setFaults([{ account: SHARED, operation, accessDenied: true }]);
        await expect(promotion.promote(devArn)).rejects.toThrow(
          /not authorized|AccessDenied/,
        );
        sandbox.setFaults([]);
        expect(await promotions.get(devArn)).toMatchObject({
          status: 'failed',
          error: expect.stringContaining('at step'),
        });

        const centralArn = await promotion.promote(devArn);
        // And once more, as a duplicate event or the reconcile would.
        expect(await promotion.promote(devArn)).toBe(centralArn);
        const central = centralGroupName(group, DEV);
        expect(
          (await centralPackages(central)).map(p => p.ModelPackageArn),
        ).toEqual([centralArn]);
        expect(await cardVersions(central)).toHaveLength(1);
        expect(await promotions.get(devArn)).toMatchObject({
          status: 'done',
          centralArn,
        });
        expect((await audit.list([devArn])).map(a => a.result)).toEqual([
          'failed',
          'ok',
          'ok',
        ]);
      },
    );

    const read = async (uri: string) => {
      const [, bucket, key] = uri.match(/^s3:\/\/([^/]+)\/(.+)$/)!;
      return await client(S3Client, SHARED)
        .send(new GetObjectCommand({ Bucket: bucket, Key: key }))
        .then(o => o.Body!.transformToString());
    };
    const centralObjects = async (prefix: string) =>
      (
        (
          await client(S3Client, SHARED).send(
            new ListObjectsV2Command({
              Bucket: `ml-shared-artifacts-${SHARED}`,
              Prefix: prefix,
            }),
          )
        ).Contents ?? []
      ).map(o => o.Key);
    /** Nothing of the version reached shared services: no central group, no copied object. */
    const expectNothingCentral = async (group: string) => {
      expect(await centralObjects(`${group}/`)).toEqual([]);
      const central = await client(SageMakerClient, SHARED)
        .send(
          new ListModelPackagesCommand({
            ModelPackageGroupName: centralGroupName(group, DEV),
          }),
        )
        .catch(e => e.name);
      expect(central).toBe('ValidationException');
    };

    it.each([
      ["another team's bucket", `sagemaker-us-east-1-${DEV2}`, 'churn-stolen'],
      [
        "the shared services account's own bucket",
        `sagemaker-us-east-1-${SHARED}`,
        'shared-stolen',
      ],
    ])(
      'refuses a version whose artifacts lie in %s: nothing copied, no central group, a denied audit entry',
      async (_, victimBucket, group) => {
        // The victim's object, which shared services' promotion role may read (sagemaker-*/*).
        if (victimBucket.endsWith(SHARED))
          await client(S3Client, SHARED)
            .send(new CreateBucketCommand({ Bucket: victimBucket }))
            .catch(() => undefined);
        const victim = victimBucket.endsWith(SHARED) ? SHARED : DEV2;
        await put(
          victim,
          victimBucket,
          'secret/model.tar.gz',
          "the other team's weights",
        );
        await client(S3Client, victim).send(
          new PutBucketPolicyCommand({
            Bucket: victimBucket,
            Policy: JSON.stringify({
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: [SHARED] },
                  Action: ['s3:GetObject'],
                  Resource: `arn:aws:s3:::${victimBucket}/*`,
                },
              ],
            }),
          }),
        );
        // The attacker registers, as the fraud dev account, a version naming it as a report; a lead approved it.
        const own = `s3://sagemaker-us-east-1-${DEV}/${group}/model.tar.gz`;
        await put(
          DEV,
          `sagemaker-us-east-1-${DEV}`,
          `${group}/model.tar.gz`,
          'weights',
        );
        const stolen = `s3://${victimBucket}/secret/model.tar.gz`;
        const devArn = await approvedVersionNaming(group, DEV, own, {
          quality: stolen,
        });

        await expect(promotion.promote(devArn)).rejects.toThrow(
          `${stolen} is outside fraud-dev's artifact locations (s3://sagemaker-us-east-1-${DEV}/; mlRegistry.accounts[].artifactBuckets)`,
        );
        expect(await promotions.get(devArn)).toMatchObject({
          status: 'failed',
          step: 'check',
        });
        expect(
          (await audit.list([devArn])).map(a => [a.result, a.detail?.error]),
        ).toEqual([
          [
            'denied',
            expect.stringMatching(
              /^PromotionRefused at step check: s3:\/\/.* is outside fraud-dev's artifact locations/,
            ),
          ],
        ]);
        await expectNothingCentral(group);
      },
    );

    describe('container images', () => {
      const FRAUD_REGISTRY = `${DEV}.dkr.ecr.us-east-1.amazonaws.com`;
      // The default scenario's fraud-scoring image, which its :latest tag points at now.
      const FRAUD_SCORING_DIGEST =
        'sha256:ab9d8c9228cf86070f8a43db8c17183dfc64399690383128601206ed17c258e8';
      const approvedWithImage = async (
        group: string,
        image: string,
        environment?: Record<string, string>,
      ) => {
        await put(
          DEV,
          `sagemaker-us-east-1-${DEV}`,
          `${group}/model.tar.gz`,
          'weights',
        );
        return approvedVersionNaming(
          group,
          DEV,
          `s3://sagemaker-us-east-1-${DEV}/${group}/model.tar.gz`,
          {},
          {
            Image: image,
            ...(environment ? { Environment: environment } : {}),
          },
        );
      };

      it("pins a mutable tag of the team's own registry by digest, keeping the container's environment", async () => {
        const environment = {
          SAGEMAKER_PROGRAM: 'inference.py',
          MODEL_THRESHOLD: '0.7',
        };
        const devArn = await approvedWithImage(
          'pinned-tag',
          `${FRAUD_REGISTRY}/fraud-scoring:latest`,
          environment,
        );
        const centralArn = await promotion.promote(devArn);
        const [container] = (
          await client(SageMakerClient, SHARED).send(
            new DescribeModelPackageCommand({ ModelPackageName: centralArn }),
          )
        ).InferenceSpecification!.Containers!;
        expect(container).toMatchObject({
          Image: `${FRAUD_REGISTRY}/fraud-scoring@${FRAUD_SCORING_DIGEST}`,
          Environment: environment,
        });
      });

      it("pins the SageMaker built-in images, read from AWS's registry", async () => {
        const devArn = await approvedWithImage(
          'pinned-builtin',
          '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
        );
        const centralArn = await promotion.promote(devArn);
        const central = await client(SageMakerClient, SHARED).send(
          new DescribeModelPackageCommand({ ModelPackageName: centralArn }),
        );
        expect(central.InferenceSpecification!.Containers![0].Image).toBe(
          '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost@sha256:5ec3fa1a597f613a31c2d8bbb9f19d609d4285f2bf602e73fff7fbcf2db8cdb8',
        );
      });

      it('refuses an image from an account outside the allowed registries: failed visibly, audited, nothing created', async () => {
        // The registrant points the version at an image in an account they control, out of the platform's sight.
        const foreign =
          '666666666666.dkr.ecr.us-east-1.amazonaws.com/fraud-scoring:latest';
        const devArn = await approvedWithImage('foreign-image', foreign);
        await expect(promotion.promote(devArn)).rejects.toThrow(
          `container image ${foreign} is not in an allowed registry (${SHARED}.dkr.ecr.us-east-1.amazonaws.com, ${FRAUD_REGISTRY}, ${DEV2}.dkr.ecr.us-east-1.amazonaws.com, ` +
            '683313688378.dkr.ecr.us-east-1.amazonaws.com, 382416733822.dkr.ecr.us-east-1.amazonaws.com, 763104351884.dkr.ecr.us-east-1.amazonaws.com; mlRegistry.promotion.imageRegistries)',
        );
        expect(await promotions.get(devArn)).toMatchObject({
          status: 'failed',
          step: 'check',
          error: expect.stringContaining(foreign),
        });
        expect(
          (await audit.list([devArn])).map(a => [a.result, a.detail?.error]),
        ).toEqual([
          [
            'denied',
            expect.stringMatching(
              /^PromotionRefused at step check: container image 666666666666\..* is not in an allowed registry/,
            ),
          ],
        ]);
        await expectNothingCentral('foreign-image');
      });

      it('fails clearly on a tag the repository does not have, creating nothing', async () => {
        const image = `${FRAUD_REGISTRY}/fraud-scoring:2.0`;
        const devArn = await approvedWithImage('missing-tag', image);
        await expect(promotion.promote(devArn)).rejects.toThrow(
          `container image ${image} cannot be pinned: ImageNotFound (Requested image not found) in ${FRAUD_REGISTRY}/fraud-scoring`,
        );
        expect((await audit.list([devArn])).map(a => a.result)).toEqual([
          'denied',
        ]);
        await expectNothingCentral('missing-tag');
      });
    });

    it("copies only from buckets the dev account owns, as S3 checks, even when config names another's", async () => {
      // A mistaken config lists the fraud team's bucket as the churn team's too.
      const misconfigured = new Promotion({
        ...(promotion as any).options,
        platform: {
          ...platform,
          accounts: platform.accounts.map(a =>
            a.accountId === DEV2
              ? { ...a, artifactBuckets: [`sagemaker-us-east-1-${DEV}`] }
              : a,
          ),
        },
      });
      await put(
        DEV,
        `sagemaker-us-east-1-${DEV}`,
        'owner-check/model.tar.gz',
        'fraud weights',
      );
      const devArn = await approvedVersionNaming(
        'owner-check',
        DEV2,
        `s3://sagemaker-us-east-1-${DEV}/owner-check/model.tar.gz`,
      );
      await expect(misconfigured.promote(devArn)).rejects.toThrow(
        'Access Denied',
      );
      expect(await promotions.get(devArn)).toMatchObject({
        status: 'failed',
        step: 'artifacts',
        error: expect.stringMatching(/^AccessDenied/),
      });
      expect(await centralObjects('owner-check/')).toEqual([]);
    });

    it("gives every artifact its own central object with its source's content, two same-named reports included", async () => {
      const bucket = `sagemaker-us-east-1-${DEV}`;
      const source = {
        model: `s3://${bucket}/evidence/model.tar.gz`,
        preTraining: `s3://${bucket}/evidence/clarify-pre/report.json`,
        postTraining: `s3://${bucket}/evidence/clarify-post/report.json`,
      };
      for (const [name, uri] of Object.entries(source))
        await put(
          DEV,
          bucket,
          uri.slice(`s3://${bucket}/`.length),
          `${name} content`,
        );
      const devArn = await approvedVersionNaming(
        'evidence',
        DEV,
        source.model,
        { preTraining: source.preTraining, postTraining: source.postTraining },
      );
      const centralArn = await promotion.promote(devArn);

      const central = await client(SageMakerClient, SHARED).send(
        new DescribeModelPackageCommand({ ModelPackageName: centralArn }),
      );
      const copies = {
        model: central.InferenceSpecification!.Containers![0].ModelDataUrl!,
        preTraining: central.ModelMetrics!.Bias!.PreTrainingReport!.S3Uri!,
        postTraining: central.ModelMetrics!.Bias!.PostTrainingReport!.S3Uri!,
      };
      expect(copies.preTraining).toBe(
        `s3://ml-shared-artifacts-${SHARED}/evidence/${DEV}/v1/${bucket}/evidence/clarify-pre/report.json`,
      );
      expect(new Set(Object.values(copies)).size).toBe(3);
      for (const name of Object.keys(source) as (keyof typeof source)[])
        expect(await read(copies[name])).toBe(await read(source[name]));
      expect(await centralObjects('evidence/')).toHaveLength(3);
    });

    it('fails visibly when an artifact cannot be copied, then reuses its empty central group on retry', async () => {
      const bucket = `sagemaker-us-east-1-${DEV}`;
      await put(DEV, bucket, 'lost-report/model.tar.gz', 'weights');
      const missing = `s3://${bucket}/lost-report/quality.json`;
      const devArn = await approvedVersionNaming(
        'lost-report',
        DEV,
        `s3://${bucket}/lost-report/model.tar.gz`,
        { quality: missing },
      );
      await expect(promotion.promote(devArn)).rejects.toThrow();
      expect(await promotions.get(devArn)).toMatchObject({
        status: 'failed',
        step: 'artifacts',
        error: expect.stringMatching(/^NoSuchKey at step artifacts/),
      });
      const group = centralGroupName('lost-report', DEV);
      expect(await centralPackages(group)).toEqual([]);
      // The empty group the failure left makes no model in the catalog.
      const modelNames = async () => {
        expect(
          (await sync.syncAll(platform.accounts, 2)).every(r => r.ok),
        ).toBe(true);
        return catalogEntities({
          accounts: platform.accounts,
          defaultOwner: 'group:default/ml-platform',
          endpoints: [],
          resources: [],
          groups: await versions.groupSummaries(),
          sources: await versions.promotionSources(),
        }).map(e => e.metadata.name);
      };
      expect(await modelNames()).not.toContain(`ml-shared--${group}`);

      await put(DEV, bucket, 'lost-report/quality.json', '{}');
      const centralArn = await promotion.promote(devArn);
      expect(centralArn).toBe(
        `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/${group}/1`,
      );
      expect(await modelNames()).toContain(`ml-shared--${group}`);
    });

    it("ignores a dev package claiming to be the promotion of another team's version, in lineage and in dedupe", async () => {
      // The fraud team's version awaits promotion: registered pending, approved while Backstage watched.
      const group = 'claimed';
      const fraud = client(SageMakerClient, DEV);
      await fraud.send(
        new CreateModelPackageGroupCommand({ ModelPackageGroupName: group }),
      );
      await put(
        DEV,
        `sagemaker-us-east-1-${DEV}`,
        `${group}/model.tar.gz`,
        'weights',
      );
      const { ModelPackageArn: victim } = await fraud.send(
        new CreateModelPackageCommand({
          ModelPackageGroupName: group,
          ModelApprovalStatus: 'PendingManualApproval',
          InferenceSpecification: {
            Containers: [
              {
                Image:
                  '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
                ModelDataUrl: `s3://sagemaker-us-east-1-${DEV}/${group}/model.tar.gz`,
              },
            ],
            SupportedContentTypes: ['text/csv'],
            SupportedResponseMIMETypes: ['text/csv'],
          },
        }),
      );
      expect((await sync.syncAll(platform.accounts, 2)).every(r => r.ok)).toBe(
        true,
      );
      await fraud.send(
        new UpdateModelPackageCommand({
          ModelPackageArn: victim,
          ModelApprovalStatus: 'Approved',
        }),
      );
      // The churn team registers, in its own registry, a package whose metadata claims to be its promotion.
      const churn = client(SageMakerClient, DEV2);
      await churn.send(
        new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'decoy' }),
      );
      const { ModelPackageArn: decoy } = await churn.send(
        new CreateModelPackageCommand({
          ModelPackageGroupName: 'decoy',
          CustomerMetadataProperties: { 'source-model-package-arn': victim! },
        }),
      );
      expect((await sync.syncAll(platform.accounts, 2)).every(r => r.ok)).toBe(
        true,
      );

      expect(await versions.getVersion(decoy!)).not.toHaveProperty('sourceArn');
      expect(await versions.promotedFrom(victim!)).toEqual([]);
      expect(
        [...(await versions.promotionSources()).values()].flat(),
      ).not.toContainEqual({ accountId: DEV, groupName: group });
      expect(await versions.approvedWithoutCentralCopy(DEV)).toContain(victim);
      // So the version is promoted, into its own team's central group.
      await promotion.reconcile(DEV, async () => true);
      expect(await promotions.get(victim!)).toMatchObject({
        status: 'done',
        centralArn: `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/${centralGroupName(
          group,
          DEV,
        )}/1`,
      });
      expect(
        (await versions.promotedFrom(victim!)).map(v => v.accountId),
      ).toEqual([SHARED]);
    });

    it('runs a promotion on one replica at a time, and takes over by itself one whose replica died once its lease expired', async () => {
      const replica = (leaseMs: number) =>
        new Promotion({ ...(promotion as any).options, leaseMs });
      const raced = await approvedDevVersion('risk-raced');
      const results = await Promise.allSettled([
        replica(60_000).promote(raced),
        replica(60_000).promote(raced),
      ]);
      expect(results.map(r => r.status).sort()).toEqual([
        'fulfilled',
        'rejected',
      ]);
      expect(
        (results.find(r => r.status === 'rejected') as PromiseRejectedResult)
          .reason.message,
      ).toMatch(/is under way in another replica/);
      expect(
        await centralPackages(centralGroupName('risk-raced', DEV)),
      ).toHaveLength(1);

      // A replica claimed this one and died before its first step.
      const orphan = await approvedDevVersion('risk-orphan');
      expect(await promotions.claim(orphan, 'a replica that died', 300)).toBe(
        true,
      );
      const survivor = replica(60_000);
      await expect(survivor.promote(orphan)).rejects.toThrow(
        /under way in another replica/,
      );
      // Nothing triggers it again: the refused replica resumes it when the lease ends.
      let taken = await promotions.get(orphan);
      for (let waited = 0; taken?.status === 'running' && waited < 20_000; ) {
        await new Promise(r => setTimeout(r, 200));
        waited += 200;
        taken = await promotions.get(orphan);
      }
      expect(taken).toMatchObject({
        status: 'done',
        centralArn: expect.stringContaining(':model-package/'),
      });
      expect((await audit.list([orphan])).map(a => a.result)).toEqual(['ok']);
    });

    it.each(['PendingManualApproval', 'Rejected'])(
      'refuses to promote a version that is %s',
      async status => {
        const { ModelPackageArn } = await client(SageMakerClient, DEV).send(
          new CreateModelPackageCommand({
            ModelPackageGroupName: 'fraud-detection',
            ModelApprovalStatus: status as any,
          }),
        );
        await expect(promotion.promote(ModelPackageArn!)).rejects.toThrow(
          `is ${status}, not Approved`,
        );
        expect(await promotions.get(ModelPackageArn!)).toMatchObject({
          status: 'failed',
        });
      },
    );

    it('fails clearly when the dev bucket denies the copy, and succeeds once its policy is fixed', async () => {
      const group = 'risk-bucket-policy';
      const devArn = await approvedDevVersion(group);
      const bucket = `sagemaker-us-east-1-${DEV}`;
      const policy = (accounts: string[]) =>
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: accounts },
              Action: ['s3:GetObject'],
              Resource: `arn:aws:s3:::${bucket}/*`,
            },
          ],
        });
      const s3 = client(S3Client, DEV);
      await s3.send(
        new PutBucketPolicyCommand({
          Bucket: bucket,
          Policy: policy(['333333333333']),
        }),
      );
      await expect(promotion.promote(devArn)).rejects.toThrow(
        `Access Denied for s3:GetObject on ${bucket}`,
      );
      expect(await promotions.get(devArn)).toMatchObject({
        status: 'failed',
        step: 'artifacts',
        error: expect.stringMatching(/^AccessDenied at step artifacts/),
      });
      expect(
        await centralPackages(centralGroupName(group, DEV)).catch(() => []),
      ).toEqual([]);

      await s3.send(
        new PutBucketPolicyCommand({
          Bucket: bucket,
          Policy: policy([SHARED]),
        }),
      );
      const centralArn = await promotion.promote(devArn);
      expect(
        (await centralPackages(centralGroupName(group, DEV))).map(
          p => p.ModelPackageArn,
        ),
      ).toEqual([centralArn]);
    });

    it("keeps two teams' groups of the same name apart: each its own central group, card and lineage", async () => {
      const fraudV1 = await approvedDevVersion('churn', DEV);
      const churnV1 = await approvedDevVersion('churn', DEV2);
      const fraudV2 = await approvedDevVersion('churn', DEV);
      const promoted = [];
      for (const devArn of [fraudV1, churnV1, fraudV2])
        promoted.push(await promotion.promote(devArn));

      const fraudCentral = centralGroupName('churn', DEV);
      const churnCentral = centralGroupName('churn', DEV2);
      /** The central group holds packages 1, 2, … promoted from `sources`, in that order. */
      const expectPromotedFrom = async (central: string, sources: string[]) =>
        expect(
          (await centralPackages(central)).map(p => [
            p.ModelPackageArn,
            p.source,
          ]),
        ).toEqual(
          sources.map((source, i) => [
            `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/${central}/${
              i + 1
            }`,
            source,
          ]),
        );
      await expectPromotedFrom(fraudCentral, [fraudV1, fraudV2]);
      await expectPromotedFrom(churnCentral, [churnV1]);
      expect(promoted).toEqual([
        `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/${fraudCentral}/1`,
        `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/${churnCentral}/1`,
        `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/${fraudCentral}/2`,
      ]);
      const card = async (name: string) => {
        const described = await client(SageMakerClient, SHARED).send(
          new DescribeModelCardCommand({ ModelCardName: name }),
        );
        const content = JSON.parse(described.Content!);
        return {
          version: described.ModelCardVersion,
          overview: content.model_overview,
          source:
            content.additional_information.custom_details
              .source_model_package_arn,
        };
      };
      expect(await card(fraudCentral)).toMatchObject({
        version: 2,
        overview: { model_name: fraudCentral, model_version: 2 },
        source: fraudV2,
      });
      expect(await card(churnCentral)).toMatchObject({
        version: 1,
        overview: { model_name: churnCentral, model_version: 1 },
        source: churnV1,
      });

      // The catalog, from what the sync reads: each central model depends on its own team's dev model.
      expect((await sync.syncAll(platform.accounts, 2)).every(r => r.ok)).toBe(
        true,
      );
      const entities = catalogEntities({
        accounts: platform.accounts,
        defaultOwner: 'group:default/ml-platform',
        endpoints: [],
        resources: [],
        groups: await versions.groupSummaries(),
        sources: await versions.promotionSources(),
      });
      const spec = (name: string) =>
        entities.find(e => e.metadata.name === name)?.spec;
      expect(spec(`ml-shared--${fraudCentral}`)).toMatchObject({
        owner: 'group:default/fraud-ds',
        dependsOn: ['resource:default/fraud-dev--churn'],
      });
      expect(spec(`ml-shared--${churnCentral}`)).toMatchObject({
        owner: 'group:default/churn-ds',
        dependsOn: ['resource:default/churn-dev--churn'],
      });
    });

    it('fails visibly at the card step when governance archived the model card, whose content SageMaker then freezes', async () => {
      const group = 'risk-archived';
      const central = centralGroupName(group, DEV);
      await promotion.promote(await approvedDevVersion(group));
      await client(SageMakerClient, SHARED).send(
        new UpdateModelCardCommand({
          ModelCardName: central,
          ModelCardStatus: 'Archived',
        }),
      );
      const devV2 = await approvedDevVersion(group);
      await expect(promotion.promote(devV2)).rejects.toThrow(
        'Model Card is in Archived state',
      );
      expect(await promotions.get(devV2)).toMatchObject({
        status: 'failed',
        step: 'card',
        error:
          'ValidationException at step card: Model Card is in Archived state',
      });
      expect(await cardVersions(central)).toHaveLength(2);
    });

    it("keeps the card within SageMaker's 100,000 characters, the oldest evaluations giving way", async () => {
      const group = 'risk-long-history';
      const central = centralGroupName(group, DEV);
      // Just under the limit: the new version's evaluation and lineage push it over.
      const old = Array.from({ length: 805 }, (_, i) => ({
        name: `v${805 - i}`,
        evaluation_observation: 'x'.repeat(80),
      }));
      await client(SageMakerClient, SHARED).send(
        new CreateModelCardCommand({
          ModelCardName: central,
          ModelCardStatus: 'Approved',
          Content: JSON.stringify({
            model_overview: { model_name: central },
            evaluation_details: old,
          }),
        }),
      );
      await promotion.promote(await approvedDevVersion(group));
      const card = await client(SageMakerClient, SHARED).send(
        new DescribeModelCardCommand({ ModelCardName: central }),
      );
      expect(card.Content!.length).toBeLessThanOrEqual(100_000);
      const evaluations = JSON.parse(card.Content!).evaluation_details.map(
        (e: any) => e.name,
      );
      expect(evaluations.slice(0, 3)).toEqual(['v1', 'v805', 'v804']);
      expect(evaluations.length).toBeLessThan(806);
    });

    it('keeps promoting a group promoted before central groups were named per account into its old central group', async () => {
      // The seed's fraud-detection versions 1 and 2 were promoted (outside Backstage) into a
      // central group named like the dev group; the sync reads their source ARNs.
      expect((await sync.syncAll(platform.accounts, 2)).every(r => r.ok)).toBe(
        true,
      );
      const devV3 = `arn:aws:sagemaker:us-east-1:${DEV}:model-package/fraud-detection/3`;
      await client(SageMakerClient, DEV).send(
        new UpdateModelPackageCommand({
          ModelPackageArn: devV3,
          ModelApprovalStatus: 'Approved',
        }),
      );
      expect(await promotion.promote(devV3)).toBe(
        `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/fraud-detection/3`,
      );
      expect(await cardVersions('fraud-detection')).toHaveLength(3);

      // A group Backstage promoted before the change: its promotion record names the old central group.
      const group = 'legacy-risk';
      const devV1 = await approvedDevVersion(group);
      const central = client(SageMakerClient, SHARED);
      await central.send(
        new CreateModelPackageGroupCommand({ ModelPackageGroupName: group }),
      );
      const { ModelPackageArn: oldCentralV1 } = await central.send(
        new CreateModelPackageCommand({
          ModelPackageGroupName: group,
          CustomerMetadataProperties: { 'source-model-package-arn': devV1 },
        }),
      );
      await promotions.claim(devV1, 'an earlier backend', 60_000);
      await promotions.record(
        devV1,
        'an earlier backend',
        { centralArn: oldCentralV1, status: 'done', step: 'card' },
        60_000,
      );
      const devV2 = await approvedDevVersion(group);
      expect(await promotion.promote(devV2)).toBe(
        `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/${group}/2`,
      );
      expect(
        await centralPackages(centralGroupName(group, DEV)).catch(() => []),
      ).toEqual([]);
    });
  });
});
