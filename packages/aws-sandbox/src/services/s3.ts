import crypto from 'node:crypto';
import type { ResourceTypeTable } from '../cloudFormation';
import { SandboxCore } from '../core';
import { AwsError } from '../errors';
import { Caller } from '../identity';
import { requireIdentityAllows } from '../authorization';
import { policyAllows } from '../policy';
import { toXml } from '../protocols/xml';
import { Bucket, nowSeconds } from '../state';

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export interface S3Request {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface S3Response {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

/** Writes an object, creating the bucket for its owner if needed (used by simulations). */
export function putObject(
  core: SandboxCore,
  owner: string,
  bucketName: string,
  key: string,
  body: Buffer,
  contentType: string,
) {
  const bucket = (core.state.buckets[bucketName] ??= {
    name: bucketName,
    owner,
    createdAt: nowSeconds(),
    objects: {},
  });
  const etag = `"${crypto.createHash('md5').update(body).digest('hex')}"`;
  bucket.objects[key] = {
    body: body.toString('base64'),
    contentType,
    etag,
    lastModified: nowSeconds(),
    metadata: {},
  };
  core.changed();
  return bucket.objects[key];
}

/** Decodes an aws-chunked body, as the SDK sends when it adds a checksum trailer. */
function decodeChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = parseInt(
      body.subarray(offset, lineEnd).toString().split(';')[0],
      16,
    );
    if (!size) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

const httpDate = (seconds: number) => new Date(seconds * 1000).toUTCString();

function bucketOf(core: SandboxCore, name: string): Bucket {
  const bucket = core.state.buckets[name];
  if (!bucket)
    throw new AwsError(
      'NoSuchBucket',
      'The specified bucket does not exist',
      404,
    );
  return bucket;
}

/** The ARN IAM policies name a bucket, or an object in it, by. */
const s3Arn = (bucket: string, key?: string) =>
  `arn:aws:s3:::${bucket}${key === undefined ? '' : `/${key}`}`;

/**
 * What the caller's identity policies allow on the bucket or object, and then:
 * the owner may do anything; others what the bucket policy grants.
 */
function authorize(
  bucket: Bucket,
  caller: Caller,
  action: string,
  key?: string,
) {
  requireIdentityAllows(
    caller,
    action,
    s3Arn(bucket.name, key),
    'AccessDenied',
    403,
  );
  if (bucket.owner === caller.accountId) return;
  if (!policyAllows(bucket.policy, caller.arn, caller.accountId, action)) {
    throw new AwsError(
      'AccessDenied',
      `Access Denied for ${action} on ${bucket.name}`,
      403,
    );
  }
}

function objectOf(bucket: Bucket, key: string) {
  const object = bucket.objects[key];
  if (!object)
    throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404);
  return object;
}

/**
 * A missing object is told apart from a forbidden one only to a caller that
 * may list the bucket: S3 answers others 403 Access Denied
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html).
 */
function readableObjectOf(bucket: Bucket, caller: Caller, key: string) {
  if (!bucket.objects[key]) authorize(bucket, caller, 's3:ListBucket');
  return objectOf(bucket, key);
}

/**
 * The bucket owner condition: a request naming the account it expects to own
 * the bucket fails 403 Access Denied when another account owns it
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html).
 * CopyObject names the source bucket's owner in its own header.
 */
function requireExpectedOwner(
  bucket: Bucket,
  req: S3Request,
  header: 'x-amz-expected-bucket-owner' | 'x-amz-source-expected-bucket-owner',
) {
  const expected = req.headers[header];
  if (expected !== undefined && String(expected) !== bucket.owner)
    throw new AwsError('AccessDenied', 'Access Denied', 403);
}

/** The S3 operations the sandbox serves; any other request is answered NotImplemented. */
export const S3_OPERATIONS = [
  'CreateBucket',
  'PutBucketPolicy',
  'GetBucketPolicy',
  'ListObjectsV2',
  'PutObject',
  'CopyObject',
  'GetObject',
  'HeadObject',
] as const;

/** The operation name of an S3 request (path style), for the contract, counters and faults. */
export function s3Operation(
  req: Pick<S3Request, 'method' | 'path' | 'query' | 'headers'>,
): string {
  const [, bucket, ...rest] = req.path.split('/');
  const key = rest.join('/');
  if (!bucket) return req.method === 'GET' ? 'ListBuckets' : 'Unknown';
  if (!key) {
    if (req.method === 'PUT')
      return req.query.has('policy') ? 'PutBucketPolicy' : 'CreateBucket';
    if (req.method === 'GET')
      return req.query.has('policy') ? 'GetBucketPolicy' : 'ListObjectsV2';
    return req.method === 'DELETE' ? 'DeleteBucket' : 'HeadBucket';
  }
  if (req.method === 'PUT')
    return req.headers['x-amz-copy-source'] ? 'CopyObject' : 'PutObject';
  if (req.method === 'HEAD') return 'HeadObject';
  if (req.method === 'DELETE') return 'DeleteObject';
  return 'GetObject';
}

/**
 * An object key is at most 1,024 bytes of UTF-8, which the model does not say:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
 */
const MAX_KEY_BYTES = 1024;

/** An S3 request, its bucket and key read from the path. */
interface S3Call {
  core: SandboxCore;
  caller: Caller;
  req: S3Request;
  bucketName: string;
  key: string;
  operation: string;
}

/** A bucket of a name no one holds yet, owned by the caller's account. */
function serveCreateBucket({ core, caller, bucketName }: S3Call): S3Response {
  requireIdentityAllows(
    caller,
    's3:CreateBucket',
    s3Arn(bucketName),
    'AccessDenied',
    403,
  );
  if (!BUCKET_NAME.test(bucketName)) {
    throw new AwsError(
      'InvalidBucketName',
      `The specified bucket is not valid: ${bucketName}`,
    );
  }
  const existing = core.state.buckets[bucketName];
  if (existing) {
    throw existing.owner === caller.accountId
      ? new AwsError(
          'BucketAlreadyOwnedByYou',
          'Your previous request to create the named bucket succeeded and you already own it.',
          409,
        )
      : new AwsError(
          'BucketAlreadyExists',
          'The requested bucket name is not available.',
          409,
        );
  }
  core.state.buckets[bucketName] = {
    name: bucketName,
    owner: caller.accountId,
    createdAt: nowSeconds(),
    objects: {},
  };
  core.changed();
  return { status: 200, headers: { location: `/${bucketName}` } };
}

/** Only the bucket owner's account sets its policy. */
function servePutBucketPolicy({
  core,
  caller,
  req,
  bucketName,
}: S3Call): S3Response {
  const bucket = bucketOf(core, bucketName);
  requireExpectedOwner(bucket, req, 'x-amz-expected-bucket-owner');
  requireIdentityAllows(
    caller,
    's3:PutBucketPolicy',
    s3Arn(bucketName),
    'AccessDenied',
    403,
  );
  if (bucket.owner !== caller.accountId)
    throw new AwsError('AccessDenied', 'Access Denied', 403);
  try {
    JSON.parse(req.body.toString());
  } catch {
    throw new AwsError('MalformedPolicy', 'Policies must be valid JSON');
  }
  bucket.policy = req.body.toString();
  core.changed();
  return { status: 204 };
}

function serveGetBucketPolicy({
  core,
  caller,
  req,
  bucketName,
}: S3Call): S3Response {
  const bucket = bucketOf(core, bucketName);
  requireExpectedOwner(bucket, req, 'x-amz-expected-bucket-owner');
  authorize(bucket, caller, 's3:GetBucketPolicy');
  if (!bucket.policy)
    throw new AwsError(
      'NoSuchBucketPolicy',
      'The bucket policy does not exist',
      404,
    );
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: bucket.policy,
  };
}

/** One page of keys after the continuation token, in order. */
function serveListObjectsV2({
  core,
  caller,
  req,
  bucketName,
}: S3Call): S3Response {
  const bucket = bucketOf(core, bucketName);
  requireExpectedOwner(bucket, req, 'x-amz-expected-bucket-owner');
  authorize(bucket, caller, 's3:ListBucket');
  const prefix = req.query.get('prefix') ?? '';
  const max = Math.min(Number(req.query.get('max-keys') ?? 1000), 1000);
  const after =
    req.query.get('continuation-token') ?? req.query.get('start-after') ?? '';
  const keys = Object.keys(bucket.objects)
    .filter(k => k.startsWith(prefix) && k > after)
    .sort();
  const page = keys.slice(0, max);
  const truncated = keys.length > page.length;
  const xml = `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="${S3_XMLNS}">${toXml(
    {
      Name: bucketName,
      Prefix: prefix,
      KeyCount: page.length,
      MaxKeys: max,
      IsTruncated: truncated,
      ...(truncated ? { NextContinuationToken: page[page.length - 1] } : {}),
      '@flat:Contents': page.map(k => ({
        Key: k,
        LastModified: new Date(bucket.objects[k].lastModified * 1000),
        ETag: bucket.objects[k].etag,
        Size: Buffer.from(bucket.objects[k].body, 'base64').length,
        StorageClass: 'STANDARD',
      })),
    },
  )}</ListBucketResult>`;
  return {
    status: 200,
    headers: { 'content-type': 'application/xml' },
    body: xml,
  };
}

/** An object, its body decoded when the SDK streamed it in aws-chunked encoding. */
function servePutObject({
  core,
  caller,
  req,
  bucketName,
  key,
}: S3Call): S3Response {
  const bucket = bucketOf(core, bucketName);
  requireExpectedOwner(bucket, req, 'x-amz-expected-bucket-owner');
  authorize(bucket, caller, 's3:PutObject', key);
  const chunked =
    String(req.headers['x-amz-content-sha256'] ?? '').startsWith(
      'STREAMING-',
    ) || String(req.headers['content-encoding'] ?? '').includes('aws-chunked');
  const body = chunked ? decodeChunked(req.body) : req.body;
  const object = putObject(
    core,
    bucket.owner,
    bucketName,
    key,
    body,
    String(req.headers['content-type'] ?? 'binary/octet-stream'),
  );
  return { status: 200, headers: { etag: object.etag } };
}

/** A copy, read as the caller from the source and written as the caller to the target. */
function serveCopyObject({
  core,
  caller,
  req,
  bucketName,
  key,
}: S3Call): S3Response {
  const source = decodeURIComponent(
    String(req.headers['x-amz-copy-source']),
  ).replace(/^\//, '');
  const [sourceBucketName, ...sourceKeyParts] = source.split('/');
  const sourceBucket = bucketOf(core, sourceBucketName);
  requireExpectedOwner(sourceBucket, req, 'x-amz-source-expected-bucket-owner');
  authorize(sourceBucket, caller, 's3:GetObject', sourceKeyParts.join('/'));
  const sourceObject = objectOf(sourceBucket, sourceKeyParts.join('/'));
  const target = bucketOf(core, bucketName);
  requireExpectedOwner(target, req, 'x-amz-expected-bucket-owner');
  authorize(target, caller, 's3:PutObject', key);
  const object = putObject(
    core,
    target.owner,
    bucketName,
    key,
    Buffer.from(sourceObject.body, 'base64'),
    sourceObject.contentType,
  );
  const xml = `<?xml version="1.0" encoding="UTF-8"?><CopyObjectResult xmlns="${S3_XMLNS}">${toXml(
    {
      LastModified: new Date(object.lastModified * 1000),
      ETag: object.etag,
    },
  )}</CopyObjectResult>`;
  return {
    status: 200,
    headers: { 'content-type': 'application/xml' },
    body: xml,
  };
}

/** An object, or only its headers for HeadObject. */
function serveGetObject({
  core,
  caller,
  req,
  bucketName,
  key,
  operation,
}: S3Call): S3Response {
  const bucket = bucketOf(core, bucketName);
  requireExpectedOwner(bucket, req, 'x-amz-expected-bucket-owner');
  authorize(bucket, caller, 's3:GetObject', key);
  const object = readableObjectOf(bucket, caller, key);
  const body = Buffer.from(object.body, 'base64');
  return {
    status: 200,
    headers: {
      'content-type': object.contentType,
      'content-length': String(body.length),
      etag: object.etag,
      'last-modified': httpDate(object.lastModified),
    },
    body: operation === 'GetObject' ? body : undefined,
  };
}

const S3_HANDLERS: Record<
  (typeof S3_OPERATIONS)[number],
  (call: S3Call) => S3Response
> = {
  CreateBucket: serveCreateBucket,
  PutBucketPolicy: servePutBucketPolicy,
  GetBucketPolicy: serveGetBucketPolicy,
  ListObjectsV2: serveListObjectsV2,
  PutObject: servePutObject,
  CopyObject: serveCopyObject,
  GetObject: serveGetObject,
  HeadObject: serveGetObject,
};

export function handleS3(
  core: SandboxCore,
  caller: Caller,
  req: S3Request,
): S3Response {
  const [, bucketName = '', ...rest] = req.path
    .split('/')
    .map(decodeURIComponent);
  const key = rest.join('/');
  const operation = s3Operation(req);
  if (
    (operation === 'PutObject' || operation === 'CopyObject') &&
    Buffer.byteLength(key) > MAX_KEY_BYTES
  ) {
    throw new AwsError('KeyTooLongError', 'Your key is too long');
  }
  const handler = S3_HANDLERS[operation as keyof typeof S3_HANDLERS];
  if (!handler) {
    throw new AwsError(
      'NotImplemented',
      `${req.method} ${req.path} is not supported by the sandbox`,
      501,
    );
  }
  return handler({ core, caller, req, bucketName, key, operation });
}

/** The restXml error body. HEAD responses carry no body, as in S3. */
export function s3Error(error: AwsError, method: string): S3Response {
  if (method === 'HEAD') return { status: error.status };
  return {
    status: error.status,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?><Error>${toXml({
      Code: error.code,
      Message: error.message,
      RequestId: crypto.randomUUID(),
    })}</Error>`,
  };
}

/** The S3 resources CloudFormation templates make (the deploy pipelines' artifact bucket, iam/ml-deploy-pipeline.yaml). */
export const s3ResourceTypes: ResourceTypeTable = {
  'AWS::S3::Bucket': {
    reference:
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html',
    properties: {
      AbacStatus: false,
      AccelerateConfiguration: false,
      AccessControl: false,
      AnalyticsConfigurations: false,
      BucketEncryption: false,
      BucketName: false,
      CorsConfiguration: false,
      IntelligentTieringConfigurations: false,
      InventoryConfigurations: false,
      LifecycleConfiguration: false,
      LoggingConfiguration: false,
      MetadataConfiguration: false,
      MetadataTableConfiguration: false,
      MetricsConfigurations: false,
      NotificationConfiguration: false,
      ObjectLockConfiguration: false,
      ObjectLockEnabled: false,
      OwnershipControls: false,
      PublicAccessBlockConfiguration: false,
      ReplicationConfiguration: false,
      Tags: false,
      VersioningConfiguration: false,
      WebsiteConfiguration: false,
    },
    unsupported: [
      'AbacStatus',
      'AccelerateConfiguration',
      'AccessControl',
      'AnalyticsConfigurations',
      'BucketEncryption',
      'CorsConfiguration',
      'IntelligentTieringConfigurations',
      'InventoryConfigurations',
      'LifecycleConfiguration',
      'LoggingConfiguration',
      'MetadataConfiguration',
      'MetadataTableConfiguration',
      'MetricsConfigurations',
      'NotificationConfiguration',
      'ObjectLockConfiguration',
      'ObjectLockEnabled',
      'OwnershipControls',
      'PublicAccessBlockConfiguration',
      'ReplicationConfiguration',
      'Tags',
      'WebsiteConfiguration',
    ],
    apply(
      { BucketName, VersioningConfiguration },
      { core, accountId, stackName, logicalId },
    ) {
      const name =
        BucketName ??
        `${stackName}-${logicalId}-${core.randomId(12)}`.toLowerCase();
      if (!BUCKET_NAME.test(name))
        throw new Error(`BucketName ${name} is not a valid bucket name`);
      const status = VersioningConfiguration?.Status;
      if (
        VersioningConfiguration &&
        !['Enabled', 'Suspended'].includes(status)
      ) {
        throw new Error(
          `VersioningConfiguration.Status must be Enabled or Suspended, not ${status}`,
        );
      }
      const existing = core.state.buckets[name];
      if (existing && existing.owner !== accountId)
        throw new Error(`bucket ${name} already exists in another account`);
      core.state.buckets[name] = {
        ...(existing ?? {
          name,
          owner: accountId,
          createdAt: nowSeconds(),
          objects: {},
        }),
        ...(status ? { versioning: status } : {}),
      };
      return {
        ref: name,
        attributes: {
          Arn: s3Arn(name),
          DomainName: `${name}.s3.amazonaws.com`,
        },
      };
    },
  },
  'AWS::S3::BucketPolicy': {
    reference:
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucketpolicy.html',
    properties: { Bucket: true, PolicyDocument: true },
    apply({ Bucket: name, PolicyDocument }, { core, accountId }) {
      const bucket = core.state.buckets[name];
      if (!bucket || bucket.owner !== accountId)
        throw new Error(
          `Bucket: ${name} is not a bucket of account ${accountId}`,
        );
      bucket.policy = JSON.stringify(PolicyDocument);
      return { ref: name };
    },
  },
};
