import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateModelCardCommand,
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  SageMakerClient,
  UpdateModelCardCommand,
} from '@aws-sdk/client-sagemaker';
import {
  Sandbox,
  sandboxRootClientConfig,
  startSdkSandbox,
} from '@ml-governance/aws-sandbox';
import { AwsClientFactory } from '@ml-governance/plugin-ml-registry-node';
import { xgboostInference } from '../__testUtils__/modelPackages';
import { sandboxClients } from '../__testUtils__/sandboxClients';
import { ModelVersionRecord } from '../database/VersionStore';
import { governanceChecklist } from './governanceChecklist';

const SHARED = '111111111111';
const DEV = '222222222222';
const CENTRAL_BUCKET = `ml-shared-artifacts-${SHARED}`;
const DEV_BUCKET = `sagemaker-us-east-1-${DEV}`;
const GROUP = 'evidence-model';

/** The governance checklist reads each item's evidence from AWS, as the shared services role, for this version only. */
describe('governanceChecklist', () => {
  let sandbox: Sandbox;
  let clients: AwsClientFactory;
  const root = <T>(Client: new (c: any) => T, account: string) =>
    new Client({
      ...sandboxRootClientConfig(sandbox, account),
      forcePathStyle: true,
    });
  const sagemaker = () => root(SageMakerClient, SHARED);
  const put = (account: string, bucket: string, key: string, body: unknown) =>
    root(S3Client, account).send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: JSON.stringify(body),
        ContentType: 'application/json',
      }),
    );
  const report = (metrics: Record<string, number>) => ({
    binary_classification_metrics: Object.fromEntries(
      Object.entries(metrics).map(([k, value]) => [
        k,
        { value, standard_deviation: 'NaN' },
      ]),
    ),
  });
  const cardContent = (version: number, source: string) =>
    JSON.stringify({
      model_overview: { model_name: GROUP, model_version: version },
      additional_information: {
        custom_details: { source_model_package_arn: source },
      },
    });
  const devArn = (n: number) =>
    `arn:aws:sagemaker:us-east-1:${DEV}:model-package/${GROUP}/${n}`;

  /** A central version with the given metrics and reports, as promotion leaves it. */
  async function centralVersion(options: {
    qualityUri?: string;
    biasUri?: string;
    metadata?: Record<string, string>;
    environment?: Record<string, string>;
  }) {
    const { ModelPackageArn } = await sagemaker().send(
      new CreateModelPackageCommand({
        ModelPackageGroupName: GROUP,
        ModelApprovalStatus: 'Approved',
        InferenceSpecification: xgboostInference(
          `s3://${CENTRAL_BUCKET}/${GROUP}/model.tar.gz`,
          options.environment,
        ),
        ModelMetrics: {
          ...(options.qualityUri
            ? {
                ModelQuality: {
                  Statistics: {
                    ContentType: 'application/json',
                    S3Uri: options.qualityUri,
                  },
                },
              }
            : {}),
          ...(options.biasUri
            ? {
                Bias: {
                  Report: {
                    ContentType: 'application/json',
                    S3Uri: options.biasUri,
                  },
                },
              }
            : {}),
        },
        ...(options.metadata
          ? { CustomerMetadataProperties: options.metadata }
          : {}),
      }),
    );
    const version = Number(ModelPackageArn!.split('/').pop());
    const record: ModelVersionRecord = {
      arn: ModelPackageArn!,
      accountId: SHARED,
      groupName: GROUP,
      version,
      approvalStatus: 'Approved',
      createdAt: new Date(),
      lastModifiedAt: new Date(),
      metadata: options.metadata ?? {},
      sourceArn: devArn(version),
    };
    return record;
  }
  const item = async (version: ModelVersionRecord, id: string) =>
    (
      await governanceChecklist(
        { clients, thresholds: { auc: 0.9 } },
        version,
        'user:default/grace.governance',
        true,
      )
    ).find(i => i.id === id);

  beforeAll(async () => {
    sandbox = await startSdkSandbox({ stepMs: 10 });
    clients = sandboxClients(sandbox);
    await sagemaker().send(
      new CreateModelPackageGroupCommand({ ModelPackageGroupName: GROUP }),
    );
  });
  afterAll(() => sandbox.close());

  it("takes the model card's status only from a review of the card version describing this model version", async () => {
    const v1 = await centralVersion({});
    const v2 = await centralVersion({});
    expect(await item(v1, 'model-card')).toEqual({
      id: 'model-card',
      ok: false,
      evidence: 'no model card',
    });

    // v1's card, reviewed and approved.
    await sagemaker().send(
      new CreateModelCardCommand({
        ModelCardName: GROUP,
        Content: cardContent(1, devArn(1)),
        ModelCardStatus: 'PendingReview',
      }),
    );
    await sagemaker().send(
      new UpdateModelCardCommand({
        ModelCardName: GROUP,
        ModelCardStatus: 'Approved',
      }),
    );
    expect(await item(v1, 'model-card')).toEqual({
      id: 'model-card',
      ok: true,
      evidence: `model card ${GROUP} v2 (describing v1) is Approved`,
    });
    expect(await item(v2, 'model-card')).toEqual({
      id: 'model-card',
      ok: false,
      evidence: `model card ${GROUP} has no version describing v2 among its newest 2`,
    });

    // Promotion writes v2 into the card, which keeps its Approved status: that is nobody's review of v2.
    await sagemaker().send(
      new UpdateModelCardCommand({
        ModelCardName: GROUP,
        Content: cardContent(2, devArn(2)),
      }),
    );
    expect(await item(v2, 'model-card')).toEqual({
      id: 'model-card',
      ok: false,
      evidence: `model card ${GROUP} v3 (describing v2) carries an earlier version's Approved status: nobody approved it since its content was written`,
    });
    // v1's evidence stays its own card version's.
    expect(await item(v1, 'model-card')).toMatchObject({
      ok: true,
      evidence: `model card ${GROUP} v2 (describing v1) is Approved`,
    });

    // The officer reviews v2's card and approves it.
    await sagemaker().send(
      new UpdateModelCardCommand({
        ModelCardName: GROUP,
        ModelCardStatus: 'PendingReview',
      }),
    );
    await sagemaker().send(
      new UpdateModelCardCommand({
        ModelCardName: GROUP,
        ModelCardStatus: 'Approved',
      }),
    );
    expect(await item(v2, 'model-card')).toMatchObject({
      ok: true,
      evidence: `model card ${GROUP} v5 (describing v2) is Approved`,
    });

    // An edit of the reviewed content needs a new review.
    await sagemaker().send(
      new UpdateModelCardCommand({
        ModelCardName: GROUP,
        Content: JSON.stringify({
          ...JSON.parse(cardContent(2, devArn(2))),
          intended_uses: { purpose_of_model: 'edited' },
        }),
      }),
    );
    expect(await item(v2, 'model-card')).toMatchObject({
      ok: false,
      evidence: expect.stringContaining(
        `v6 (describing v2) carries an earlier version's Approved status`,
      ),
    });

    // A card version naming v1 with another dev package as its source is not v1's: its evidence stays the card version reviewed.
    await sagemaker().send(
      new UpdateModelCardCommand({
        ModelCardName: GROUP,
        Content: cardContent(1, devArn(2)),
      }),
    );
    expect(await item(v1, 'model-card')).toMatchObject({
      ok: true,
      evidence: `model card ${GROUP} v2 (describing v1) is Approved`,
    });
  });

  it('checks the thresholds in the evaluation report the pipeline wrote, not in the metadata the registrant wrote', async () => {
    await put(
      SHARED,
      CENTRAL_BUCKET,
      `${GROUP}/low/evaluation.json`,
      report({ auc: 0.85, accuracy: 0.9 }),
    );
    const claimsMore = await centralVersion({
      qualityUri: `s3://${CENTRAL_BUCKET}/${GROUP}/low/evaluation.json`,
      metadata: { auc: '0.99' },
    });
    expect(await item(claimsMore, 'metrics')).toEqual({
      id: 'metrics',
      ok: false,
      evidence: "auc 0.85 (at least 0.9); the registrant's metadata says 0.99",
    });

    await put(
      SHARED,
      CENTRAL_BUCKET,
      `${GROUP}/good/evaluation.json`,
      report({ auc: 0.93 }),
    );
    const good = await centralVersion({
      qualityUri: `s3://${CENTRAL_BUCKET}/${GROUP}/good/evaluation.json`,
      metadata: { auc: '0.93' },
    });
    expect(await item(good, 'metrics')).toEqual({
      id: 'metrics',
      ok: true,
      evidence: 'auc 0.93 (at least 0.9)',
    });

    const metadataOnly = await centralVersion({ metadata: { auc: '0.99' } });
    expect(await item(metadataOnly, 'metrics')).toEqual({
      id: 'metrics',
      ok: false,
      evidence:
        'no evaluation report in the model metrics (ModelQuality.Statistics)',
    });

    await put(
      SHARED,
      CENTRAL_BUCKET,
      `${GROUP}/other/evaluation.json`,
      report({ accuracy: 0.95 }),
    );
    const otherMetric = await centralVersion({
      qualityUri: `s3://${CENTRAL_BUCKET}/${GROUP}/other/evaluation.json`,
    });
    expect(await item(otherMetric, 'metrics')).toEqual({
      id: 'metrics',
      ok: false,
      evidence: 'auc missing from the report (at least 0.9)',
    });
  });

  it('needs a bias report that exists and is readable in the central bucket, not just its URI', async () => {
    await put(SHARED, CENTRAL_BUCKET, `${GROUP}/bias.json`, {
      class_imbalance: 0.03,
    });
    const readable = await centralVersion({
      biasUri: `s3://${CENTRAL_BUCKET}/${GROUP}/bias.json`,
    });
    expect(await item(readable, 'bias-report')).toEqual({
      id: 'bias-report',
      ok: true,
      evidence: `s3://${CENTRAL_BUCKET}/${GROUP}/bias.json`,
    });

    const missing = await centralVersion({
      biasUri: `s3://${CENTRAL_BUCKET}/${GROUP}/no-such-bias.json`,
    });
    expect(await item(missing, 'bias-report')).toMatchObject({
      ok: false,
      evidence: expect.stringMatching(
        /^bias report s3:\/\/.+\/no-such-bias\.json cannot be read \(\w+ 40[34]\)$/,
      ),
    });

    // A report left in a dev account's bucket is not the central registry's evidence, even where the role could read it.
    await put(DEV, DEV_BUCKET, `${GROUP}/bias.json`, { class_imbalance: 0.03 });
    const elsewhere = await centralVersion({
      biasUri: `s3://${DEV_BUCKET}/${GROUP}/bias.json`,
    });
    expect(await item(elsewhere, 'bias-report')).toMatchObject({
      ok: false,
      evidence: expect.stringMatching(
        /^bias report s3:\/\/sagemaker-us-east-1-222222222222\/.+ cannot be read \(\w+ 403\)$/,
      ),
    });

    expect(await item(await centralVersion({}), 'bias-report')).toEqual({
      id: 'bias-report',
      ok: false,
      evidence: 'no bias report in the model metrics',
    });
  });

  it("shows the containers' environment for review", async () => {
    const configured = await centralVersion({
      environment: { SAGEMAKER_PROGRAM: 'inference.py', LOG_LEVEL: 'debug' },
    });
    expect(await item(configured, 'container-environment')).toEqual({
      id: 'container-environment',
      ok: true,
      evidence: 'container 1: SAGEMAKER_PROGRAM=inference.py, LOG_LEVEL=debug',
    });
    expect(
      await item(await centralVersion({}), 'container-environment'),
    ).toMatchObject({ evidence: 'no container sets environment variables' });
  });
});
