import { AwsFault } from '@ml-governance/plugin-ml-registry-common';

// The common errors every AWS API may answer
// (https://docs.aws.amazon.com/awsconsolehelpdocs/latest/gsg/common-errors.html),
// and the spellings of the services that name them their own way: S3 (SlowDown,
// InternalError, ExpiredToken, AccessDenied:
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html), STS
// (Throttling) and SQS (RequestThrottled).
const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
]);
const EXPIRED_CREDENTIALS = new Set([
  'ExpiredTokenException',
  'ExpiredToken',
  'RequestExpired',
]);
const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'NotAuthorized',
]);
const SERVER_ERROR = new Set([
  'InternalFailure',
  'InternalError',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);
/** What Node's sockets report when the connection is refused, reset or hung up. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * The fault an AWS SDK v3 call failed with, as a class a person may be told
 * (never the error's message, which can carry ARNs, request ids and policy text), when it is one of an account that
 * cannot be reached for now (throttled, failing, cut off, timing out, with
 * expired or refused credentials); undefined for anything else (a missing
 * resource, a validation error, a bug), which callers must not hide.
 *
 * @public
 */
export function awsFaultOf(error: unknown): AwsFault | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const name = e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  if (EXPIRED_CREDENTIALS.has(name)) return 'expired-credentials';
  if (THROTTLING.has(name) || status === 429) return 'throttling';
  if (ACCESS_DENIED.has(name)) return 'access-denied';
  // A dropped connection reaches the caller wrapped by the SDK's retry middleware, only its message telling.
  if (
    (e.code && NETWORK_CODES.has(e.code)) ||
    /socket hang up|ECONNRESET|ECONNREFUSED/.test(e.message ?? '')
  )
    return 'network';
  // The SDK's http handler names a request that outlived its requestTimeout TimeoutError.
  if (name === 'TimeoutError' || e.code === 'ETIMEDOUT') return 'timeout';
  if (SERVER_ERROR.has(name) || (status !== undefined && status >= 500))
    return 'server-error';
  return undefined;
}

/**
 * The names AWS's services give "what you asked for does not exist": SageMaker
 * (ResourceNotFound), EventBridge, ECR and CodePipeline (each resource's
 * NotFoundException), S3 (NoSuchKey, NoSuchBucket, and NotFound for a HEAD
 * request, whose answer has no body for the SDK to read a name from:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html), IAM
 * (NoSuchEntity) and SQS (QueueDoesNotExist).
 */
const NOT_FOUND = new Set([
  'ResourceNotFound',
  'ResourceNotFoundException',
  'NotFound',
  'NoSuchKey',
  'NoSuchBucket',
  'NoSuchEntity',
  'PipelineNotFoundException',
  'PipelineExecutionNotFoundException',
  'RepositoryNotFoundException',
  'ImageNotFoundException',
  'QueueDoesNotExist',
]);

/**
 * Whether an AWS SDK v3 call failed because what it named does not exist.
 * SageMaker's model registry says so with a ValidationException whose message
 * ends "does not exist." (DescribeModelPackageGroup, DescribeModelPackage), not
 * with a name of its own.
 *
 * @public
 */
export function isAwsNotFound(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as {
    name?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  return (
    NOT_FOUND.has(e.name ?? '') ||
    e.$metadata?.httpStatusCode === 404 ||
    // SageMaker's hosting resources answer "Could not find endpoint configuration ..." / "... model ...".
    (e.name === 'ValidationException' &&
      /does not exist\.?$|^Could not find /i.test(e.message ?? ''))
  );
}

/**
 * What an AWS request answers, or undefined when what it named does not
 * exist; any other failure is thrown on.
 *
 * @public
 */
export async function unlessAwsNotFound<T>(
  request: Promise<T>,
): Promise<T | undefined> {
  try {
    return await request;
  } catch (e) {
    if (isAwsNotFound(e)) return undefined;
    throw e;
  }
}

const CALLED_IN = Symbol('ml-registry.aws-account');

/** Marks an error of an AWS call made in `accountId`; the client factory marks every error of its clients. */
export function markAwsAccount(error: unknown, accountId: string): void {
  if (error && typeof error === 'object' && !(CALLED_IN in error)) {
    Object.defineProperty(error, CALLED_IN, { value: accountId });
  }
}

/**
 * The account an AWS call that failed was made in, when a client of the
 * factory made it: a request that spans accounts (a promotion) names the one
 * that failed.
 *
 * @public
 */
export function awsAccountOf(error: unknown): string | undefined {
  return error && typeof error === 'object'
    ? (error as { [CALLED_IN]?: string })[CALLED_IN]
    : undefined;
}
