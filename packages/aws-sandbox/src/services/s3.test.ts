import {
  CopyObjectCommand,
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutBucketPolicyCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import {
  clients,
  FRAUD_DEV,
  PROD,
  SHARED,
  useSandbox,
} from '../__testUtils__/clients';

describe('S3', () => {
  const sandbox = useSandbox();
  const s3 = (account: string) => clients(sandbox.current, account).s3;

  it('puts, heads, gets and lists objects', async () => {
    await s3(FRAUD_DEV).send(new CreateBucketCommand({ Bucket: 'fraud-data' }));
    await s3(FRAUD_DEV).send(
      new PutObjectCommand({
        Bucket: 'fraud-data',
        Key: 'train/part-1.csv',
        Body: 'a,b\n1,2\n',
        ContentType: 'text/csv',
      }),
    );
    await s3(FRAUD_DEV).send(
      new PutObjectCommand({
        Bucket: 'fraud-data',
        Key: 'train/part-2.csv',
        Body: 'a,b\n3,4\n',
      }),
    );
    const head = await s3(FRAUD_DEV).send(
      new HeadObjectCommand({ Bucket: 'fraud-data', Key: 'train/part-1.csv' }),
    );
    expect(head).toMatchObject({ ContentLength: 8, ContentType: 'text/csv' });
    const object = await s3(FRAUD_DEV).send(
      new GetObjectCommand({ Bucket: 'fraud-data', Key: 'train/part-1.csv' }),
    );
    expect(await object.Body?.transformToString()).toBe('a,b\n1,2\n');
    const first = await s3(FRAUD_DEV).send(
      new ListObjectsV2Command({
        Bucket: 'fraud-data',
        Prefix: 'train/',
        MaxKeys: 1,
      }),
    );
    expect(first.Contents?.map(c => c.Key)).toEqual(['train/part-1.csv']);
    expect(first.IsTruncated).toBe(true);
    const second = await s3(FRAUD_DEV).send(
      new ListObjectsV2Command({
        Bucket: 'fraud-data',
        Prefix: 'train/',
        ContinuationToken: first.NextContinuationToken,
      }),
    );
    expect(second.Contents?.map(c => c.Key)).toEqual(['train/part-2.csv']);
  });

  it('raises the real exceptions', async () => {
    const missing = await s3(FRAUD_DEV)
      .send(new GetObjectCommand({ Bucket: 'fraud-data', Key: 'nope' }))
      .catch(e => e);
    expect(missing).toBeInstanceOf(NoSuchKey);
    const head = await s3(FRAUD_DEV)
      .send(new HeadObjectCommand({ Bucket: 'fraud-data', Key: 'nope' }))
      .catch(e => e);
    expect(head.name).toBe('NotFound');
    const bucket = await s3(FRAUD_DEV)
      .send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'x' }))
      .catch(e => e);
    expect(bucket.name).toBe('NoSuchBucket');
    const taken = await s3(PROD)
      .send(new CreateBucketCommand({ Bucket: 'fraud-data' }))
      .catch(e => e);
    expect(taken.name).toBe('BucketAlreadyExists');
    const invalid = await s3(PROD)
      .send(new CreateBucketCommand({ Bucket: 'Bad_Name' }))
      .catch(e => e);
    expect(invalid.name).toBe('InvalidBucketName');
  });

  it('copies across accounts only as far as bucket policies allow', async () => {
    // Shared services may not read the dev bucket until its policy says so.
    const denied = await s3(SHARED)
      .send(
        new CopyObjectCommand({
          Bucket: 'ml-shared-artifacts-111111111111',
          Key: 'fraud/model.csv',
          CopySource: 'fraud-data/train/part-1.csv',
        }),
      )
      .catch(e => e);
    expect(denied.name).toBe('AccessDenied');
    await s3(FRAUD_DEV).send(
      new PutBucketPolicyCommand({
        Bucket: 'fraud-data',
        Policy: JSON.stringify({
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: SHARED },
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::fraud-data/*',
            },
          ],
        }),
      }),
    );
    await s3(SHARED).send(
      new CopyObjectCommand({
        Bucket: 'ml-shared-artifacts-111111111111',
        Key: 'fraud/model.csv',
        CopySource: 'fraud-data/train/part-1.csv',
      }),
    );
    // The prod account reads the shared bucket through its seeded policy, but may not write.
    const copy = await s3(PROD).send(
      new GetObjectCommand({
        Bucket: 'ml-shared-artifacts-111111111111',
        Key: 'fraud/model.csv',
      }),
    );
    expect(await copy.Body?.transformToString()).toBe('a,b\n1,2\n');
    const write = await s3(PROD)
      .send(
        new PutObjectCommand({
          Bucket: 'ml-shared-artifacts-111111111111',
          Key: 'x',
          Body: 'x',
        }),
      )
      .catch(e => e);
    expect(write.name).toBe('AccessDenied');
  });

  it('answers a missing object 403 to a caller that may not list the bucket, 404 to one that may', async () => {
    // The prod account's seeded grant on the shared bucket is s3:GetObject alone.
    const get = await s3(PROD)
      .send(
        new GetObjectCommand({
          Bucket: 'ml-shared-artifacts-111111111111',
          Key: 'missing',
        }),
      )
      .catch(e => e);
    expect(get).toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    const head = await s3(PROD)
      .send(
        new HeadObjectCommand({
          Bucket: 'ml-shared-artifacts-111111111111',
          Key: 'missing',
        }),
      )
      .catch(e => e);
    expect(head.$metadata.httpStatusCode).toBe(403);
    const own = await s3(SHARED)
      .send(
        new HeadObjectCommand({
          Bucket: 'ml-shared-artifacts-111111111111',
          Key: 'missing',
        }),
      )
      .catch(e => e);
    expect(own.$metadata.httpStatusCode).toBe(404);
  });

  it('refuses a request whose expected bucket owner is not the owner, source and target alike', async () => {
    await s3(FRAUD_DEV).send(
      new CreateBucketCommand({ Bucket: 'fraud-owned' }),
    );
    await s3(FRAUD_DEV).send(
      new PutObjectCommand({ Bucket: 'fraud-owned', Key: 'a', Body: 'a' }),
    );
    await s3(FRAUD_DEV).send(
      new PutBucketPolicyCommand({
        Bucket: 'fraud-owned',
        Policy: JSON.stringify({
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: SHARED },
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::fraud-owned/*',
            },
          ],
        }),
      }),
    );
    const wrongOwner = await s3(FRAUD_DEV)
      .send(
        new HeadObjectCommand({
          Bucket: 'fraud-owned',
          Key: 'a',
          ExpectedBucketOwner: SHARED,
        }),
      )
      .catch(e => e);
    expect(wrongOwner.$metadata.httpStatusCode).toBe(403);
    expect(
      await s3(FRAUD_DEV).send(
        new HeadObjectCommand({
          Bucket: 'fraud-owned',
          Key: 'a',
          ExpectedBucketOwner: FRAUD_DEV,
        }),
      ),
    ).toMatchObject({ ContentLength: 1 });

    const copy = (source: string, target: string) =>
      s3(SHARED)
        .send(
          new CopyObjectCommand({
            Bucket: 'ml-shared-artifacts-111111111111',
            Key: 'owned/a',
            CopySource: 'fraud-owned/a',
            ExpectedSourceBucketOwner: source,
            ExpectedBucketOwner: target,
          }),
        )
        .then(
          () => 'copied',
          e => e.name,
        );
    expect(await copy(PROD, SHARED)).toBe('AccessDenied');
    expect(await copy(FRAUD_DEV, PROD)).toBe('AccessDenied');
    const notCopied = await s3(SHARED)
      .send(
        new HeadObjectCommand({
          Bucket: 'ml-shared-artifacts-111111111111',
          Key: 'owned/a',
        }),
      )
      .catch(e => e);
    expect(notCopied.name).toBe('NotFound');
    expect(await copy(FRAUD_DEV, SHARED)).toBe('copied');
  });
});
