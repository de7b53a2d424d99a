import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  ListModelPackageGroupsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { Fault } from './faults';
import {
  clients,
  Credentials,
  FRAUD_DEV,
  PROD,
  SHARED,
  TOOLING,
  useSandbox,
} from './__testUtils__/clients';

/**
 * The faults a fault test needs, through real SDK clients with the SDK's own
 * retries (three attempts): what AWS answers as transient (a 500, a 503, a
 * dropped connection, a timeout) is retried, what it answers as final (an
 * expired token) is not.
 */
describe('sandbox faults', () => {
  const sandbox = useSandbox();
  afterEach(() => sandbox.current.setFaults([]));

  const sagemaker = (
    credentials: string | Credentials,
    requestTimeout?: number,
  ) =>
    new SageMakerClient({
      endpoint: sandbox.current.url,
      region: 'us-east-1',
      credentials:
        typeof credentials === 'string'
          ? { accessKeyId: credentials, secretAccessKey: 'sandbox' }
          : credentials,
      maxAttempts: 3,
      ...(requestTimeout
        ? { requestHandler: { requestTimeout, throwOnRequestTimeout: true } }
        : {}),
    });

  /** Calls ListModelPackageGroups under `faults`: the error (if any) and how many attempts reached the sandbox. */
  async function attempt(faults: Fault[], client = sagemaker(FRAUD_DEV)) {
    sandbox.current.setFaults(faults);
    sandbox.current.core.resetCounters();
    const error = await client.send(new ListModelPackageGroupsCommand({})).then(
      () => undefined,
      e => e,
    );
    return {
      error,
      attempts:
        sandbox.current.counters()['sagemaker:ListModelPackageGroups']?.[
          FRAUD_DEV
        ] ?? 0,
    };
  }

  /** Session credentials STS issued: TOOLING's session of the shared services account's backstage-ml role. */
  async function session(): Promise<Credentials> {
    const { Credentials: issued } = await clients(
      sandbox.current,
      TOOLING,
    ).sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${SHARED}:role/backstage-ml`,
        RoleSessionName: 'fault-test',
      }),
    );
    return {
      accessKeyId: issued!.AccessKeyId!,
      secretAccessKey: issued!.SecretAccessKey!,
      sessionToken: issued!.SessionToken,
    };
  }

  it('fails with 500 InternalFailure or 503 ServiceUnavailable, which the SDK retries', async () => {
    const internal = await attempt([{ account: FRAUD_DEV, serverError: 500 }]);
    expect(internal.error).toMatchObject({
      name: 'InternalFailure',
      $metadata: { httpStatusCode: 500, attempts: 3 },
    });
    expect(internal.attempts).toBe(3);
    const unavailable = await attempt([
      { account: FRAUD_DEV, serverError: 503 },
    ]);
    expect(unavailable.error).toMatchObject({
      name: 'ServiceUnavailable',
      $metadata: { httpStatusCode: 503, attempts: 3 },
    });

    sandbox.current.setFaults([{ serverError: 500 }]);
    const s3 = new S3Client({
      endpoint: sandbox.current.url,
      region: 'us-east-1',
      forcePathStyle: true,
      maxAttempts: 2,
      credentials: { accessKeyId: SHARED, secretAccessKey: 'sandbox' },
    });
    const s3Error = await s3
      .send(
        new ListObjectsV2Command({ Bucket: `ml-deploy-artifacts-${SHARED}` }),
      )
      .catch(e => e);
    expect(s3Error).toMatchObject({
      name: 'InternalError',
      $metadata: { httpStatusCode: 500, attempts: 2 },
    });
  });

  it("refuses STS-issued credentials as expired, not an account's long-term keys; the SDK does not retry it", async () => {
    const credentials = await session();
    sandbox.current.setFaults([{ expiredCredentials: true }]);
    const expired = await sagemaker(credentials)
      .send(new ListModelPackageGroupsCommand({}))
      .catch(e => e);
    expect(expired).toMatchObject({
      name: 'ExpiredTokenException',
      message: 'The security token included in the request is expired',
      $metadata: { httpStatusCode: 403, attempts: 1 },
    });
    await expect(
      sagemaker(SHARED).send(new ListModelPackageGroupsCommand({})),
    ).resolves.toBeDefined();
    sandbox.current.setFaults([]);
    await expect(
      sagemaker(credentials).send(new ListModelPackageGroupsCommand({})),
    ).resolves.toBeDefined();
  });

  it('holds a request unanswered until the client gives up, which the SDK retries as a timeout', async () => {
    const started = Date.now();
    const { error, attempts } = await attempt(
      [{ account: FRAUD_DEV, timeoutMs: 60_000 }],
      sagemaker(FRAUD_DEV, 200),
    );
    expect(error.name).toBe('TimeoutError');
    expect(attempts).toBe(3);
    expect(Date.now() - started).toBeLessThan(10_000);
    // A client without a timeout sees the connection dropped once the fault's time is up.
    const dropped = await attempt([{ account: FRAUD_DEV, timeoutMs: 50 }]);
    expect(dropped.error).toMatchObject({
      message: expect.stringMatching(/socket hang up/),
      $metadata: { attempts: 3 },
    });
    expect(dropped.attempts).toBe(3);
  });

  it("drops an account's connections, which the SDK retries; other accounts are served", async () => {
    const { error, attempts } = await attempt([
      { account: FRAUD_DEV, connectionRefused: true },
    ]);
    // The SDK sees a hang-up, which it classes as transient (a TimeoutError) and retries.
    expect(error).toMatchObject({
      message: expect.stringMatching(/socket hang up/),
      $metadata: { attempts: 3 },
    });
    expect(attempts).toBe(3);
    await expect(
      sagemaker(PROD).send(new ListModelPackageGroupsCommand({})),
    ).resolves.toBeDefined();
  });

  it('refuses a fault it would not apply, naming what is wrong', async () => {
    const put = (body: unknown) =>
      fetch(`${sandbox.current.url}/_sandbox/faults`, {
        method: 'PUT',
        body: JSON.stringify(body),
      });
    const unknown = await put([{ account: FRAUD_DEV, serverErorr: 500 }]);
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).message).toContain(
      'unknown field serverErorr',
    );
    const badStatus = await put([{ serverError: 502 }]);
    expect((await badStatus.json()).message).toBe(
      'fault 0: serverError must be 500 or 503, got 502',
    );
    const ok = await put([{ account: FRAUD_DEV, expiredCredentials: true }]);
    expect(ok.status).toBe(200);
    expect(
      await (await fetch(`${sandbox.current.url}/_sandbox/faults`)).json(),
    ).toEqual([{ account: FRAUD_DEV, expiredCredentials: true }]);
  });
});
