import {
  ListModelPackageGroupsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Sandbox, startSandbox } from '@ml-governance/aws-sandbox';
import { metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { AwsClientFactory } from './AwsClientFactory';
import { sandboxClients } from './__testUtils__/sandboxClients';

/** Reads metrics on demand, for assertions. */
class InMemoryReader extends MetricReader {
  protected async onShutdown() {}
  protected async onForceFlush() {}
}

const TOOLING = '999999999999';
const SHARED = '111111111111';
const FRAUD_DEV = '222222222222';
const PROD = '444444444444';

describe('AwsClientFactory', () => {
  let sandbox: Sandbox;
  let factory: AwsClientFactory;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, stepMs: 10 });
    // integration-aws-node's AssumeRole goes to STS; the SDK's standard
    // variable points it at the sandbox, as it would at a VPC endpoint.
    process.env.AWS_ENDPOINT_URL_STS = sandbox.url;
    factory = sandboxClients(sandbox, {
      aws: {
        mainAccount: { accessKeyId: TOOLING, secretAccessKey: 'sandbox' },
        accounts: [
          { accountId: SHARED, roleName: 'backstage-ml' },
          { accountId: FRAUD_DEV, roleName: 'backstage-ml' },
          { accountId: PROD, roleName: 'not-trusted' },
        ],
      },
    });
  });
  afterAll(async () => {
    delete process.env.AWS_ENDPOINT_URL_STS;
    await sandbox.close();
  });

  it('acts in each account through the role integration-aws-node assumes', async () => {
    const sts = await factory.create(STSClient, FRAUD_DEV);
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe(
      `arn:aws:sts::${FRAUD_DEV}:assumed-role/backstage-ml/backstage`,
    );
    const sagemaker = await factory.create(SageMakerClient, FRAUD_DEV);
    const groups = await sagemaker.send(new ListModelPackageGroupsCommand({}));
    expect(
      groups.ModelPackageGroupSummaryList?.map(g => g.ModelPackageGroupName),
    ).toEqual(['fraud-detection']);
    expect(sandbox.counters()['sts:AssumeRole']).toEqual({ [TOOLING]: 1 });
  });

  it('points S3 at the endpoint path-style', async () => {
    // As promotion reads an approved artifact: shared services, from a dev team's bucket.
    const s3 = await factory.create(S3Client, SHARED);
    const head = await s3.send(
      new HeadObjectCommand({
        Bucket: `sagemaker-us-east-1-${FRAUD_DEV}`,
        Key: 'fraud-detection/v1/model.tar.gz',
      }),
    );
    expect(head.ContentLength).toBeGreaterThan(0);
  });

  it('holds each account to its request budget and counts every request', async () => {
    const reader = new InMemoryReader();
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    const limited = sandboxClients(sandbox, {
      mlRegistry: { requestsPerSecond: 5 },
      aws: {
        accounts: [
          {
            accountId: FRAUD_DEV,
            accessKeyId: FRAUD_DEV,
            secretAccessKey: 'x',
          },
        ],
      },
    });
    const sagemaker = await limited.create(SageMakerClient, FRAUD_DEV);
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 10 }, () =>
        sagemaker.send(new ListModelPackageGroupsCommand({})),
      ),
    );
    // 5 at once, then 5 more at 5 a second.
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);

    const { resourceMetrics } = await reader.collect();
    const counter = resourceMetrics.scopeMetrics
      .flatMap(s => s.metrics)
      .find(m => m.descriptor.name === 'ml_registry.aws.requests');
    expect(counter?.dataPoints).toEqual([
      expect.objectContaining({
        attributes: {
          account_id: FRAUD_DEV,
          operation: 'ListModelPackageGroupsCommand',
        },
        value: 10,
      }),
    ]);
    metrics.disable();
  });

  it('surfaces a role that does not trust Backstage', async () => {
    const sagemaker = await factory.create(SageMakerClient, PROD);
    await expect(
      sagemaker.send(new ListModelPackageGroupsCommand({})),
    ).rejects.toThrow(
      /not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444444444444:role\/not-trusted/,
    );
  });
});
