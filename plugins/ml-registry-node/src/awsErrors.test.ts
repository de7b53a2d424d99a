import {
  DescribeModelCardCommand,
  DescribeModelPackageCommand,
  DescribeModelPackageGroupCommand,
  ListModelPackageGroupsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Sandbox, startSandbox } from '@ml-governance/aws-sandbox';
import { AwsClientFactory } from './AwsClientFactory';
import { sandboxClients } from './__testUtils__/sandboxClients';
import { AwsFault } from '@ml-governance/plugin-ml-registry-common';
import {
  awsAccountOf,
  awsFaultOf,
  isAwsNotFound,
  unlessAwsNotFound,
} from './awsErrors';

const SHARED = '111111111111';
/** The shared account's bucket in the sandbox's scenario. */
const BUCKET = `ml-shared-artifacts-${SHARED}`;

/** Each fault the sandbox injects, as the SDK sees it through the client factory, classified. */
describe('awsFaultOf', () => {
  let sandbox: Sandbox;
  let sagemaker: SageMakerClient;
  let factory: AwsClientFactory;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, stepMs: 10 });
    process.env.AWS_ENDPOINT_URL_STS = sandbox.url;
    factory = sandboxClients(sandbox);
    sagemaker = await factory.create(SageMakerClient, SHARED);
    // Credentials are assumed before any fault, as a running backend holds them.
    await sagemaker.send(new ListModelPackageGroupsCommand({}));
  });
  afterAll(() => sandbox.close());
  afterEach(() => sandbox.setFaults([]));

  const faultOf = async (fault: object) => {
    sandbox.setFaults([{ account: SHARED, service: 'sagemaker', ...fault }]);
    return awsFaultOf(
      await sagemaker.send(new ListModelPackageGroupsCommand({})).then(
        () => undefined,
        e => e,
      ),
    );
  };

  it.each<[object, AwsFault]>([
    [{ down: true }, 'server-error'],
    [{ serverError: 500 }, 'server-error'],
    [{ serverError: 503 }, 'server-error'],
    [{ throttlePerSecond: 0 }, 'throttling'],
    [{ accessDenied: true }, 'access-denied'],
    [{ expiredCredentials: true }, 'expired-credentials'],
    [{ connectionRefused: true }, 'network'],
    // Without a client-side requestTimeout, a request never answered ends when the connection drops.
    [{ timeoutMs: 300 }, 'network'],
  ])('%j is %s', async (fault, expected) => {
    expect(await faultOf(fault)).toBe(expected);
  });

  it("names the account of the factory's client that failed", async () => {
    sandbox.setFaults([{ account: SHARED, down: true }]);
    const error = await sagemaker
      .send(new ListModelPackageGroupsCommand({}))
      .then(
        () => undefined,
        e => e,
      );
    expect(awsAccountOf(error)).toBe(SHARED);
    expect(awsAccountOf(new Error('not from AWS'))).toBeUndefined();
  });

  it('a request that outlives its timeout is a timeout', async () => {
    sandbox.setFaults([{ account: SHARED, timeoutMs: 2000 }]);
    const client = new SageMakerClient({
      ...(await factory.clientConfig(SHARED)),
      maxAttempts: 1,
      requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true },
    });
    const error = await client.send(new ListModelPackageGroupsCommand({})).then(
      () => undefined,
      e => e,
    );
    expect(awsFaultOf(error)).toBe('timeout');
  });

  it('leaves what is not an unreachable account to its caller', async () => {
    const missing = await sagemaker
      .send(
        new DescribeModelPackageCommand({
          ModelPackageName: `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/none/1`,
        }),
      )
      .then(
        () => undefined,
        e => e,
      );
    expect(missing).toBeDefined();
    expect(awsFaultOf(missing)).toBeUndefined();
    expect(awsFaultOf(new TypeError('x is undefined'))).toBeUndefined();
  });

  it('knows each way AWS says what was named does not exist', async () => {
    const s3 = await factory.create(S3Client, SHARED);
    const absent: [string, () => Promise<unknown>][] = [
      [
        'DescribeModelPackageGroup',
        () =>
          sagemaker.send(
            new DescribeModelPackageGroupCommand({
              ModelPackageGroupName: 'none',
            }),
          ),
      ],
      [
        'DescribeModelPackage',
        () =>
          sagemaker.send(
            new DescribeModelPackageCommand({
              ModelPackageName: `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/none/1`,
            }),
          ),
      ],
      [
        'DescribeModelCard',
        () =>
          sagemaker.send(new DescribeModelCardCommand({ ModelCardName: 'x' })),
      ],
      [
        'HeadObject',
        () => s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'x' })),
      ],
      [
        'GetObject',
        () => s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'x' })),
      ],
    ];
    for (const [operation, request] of absent) {
      const error = await request().then(
        () => undefined,
        e => e,
      );
      expect([operation, isAwsNotFound(error)]).toEqual([operation, true]);
    }
  });

  it('leaves every other failure to its caller', async () => {
    sandbox.setFaults([{ account: SHARED, accessDenied: true }]);
    const denied = sagemaker.send(
      new DescribeModelPackageGroupCommand({ ModelPackageGroupName: 'none' }),
    );
    await expect(unlessAwsNotFound(denied)).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    sandbox.setFaults([]);
    const invalid = sagemaker.send(
      new DescribeModelPackageGroupCommand({ ModelPackageGroupName: '-bad-' }),
    );
    await expect(unlessAwsNotFound(invalid)).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(
      unlessAwsNotFound(
        sagemaker.send(
          new DescribeModelPackageGroupCommand({ ModelPackageGroupName: 'x' }),
        ),
      ),
    ).resolves.toBeUndefined();
  });
});
