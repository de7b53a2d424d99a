import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { ServiceCatalogClient } from '@aws-sdk/client-service-catalog';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { Sandbox, startSandbox, SandboxOptions } from '../sandbox';

export type Credentials = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
};

/** The real AWS SDK v3 clients, pointed at the sandbox, as one account or role session. */
export function clients(sandbox: Sandbox, credentials: string | Credentials) {
  const config = {
    endpoint: sandbox.url,
    region: 'us-east-1',
    credentials:
      typeof credentials === 'string'
        ? { accessKeyId: credentials, secretAccessKey: 'sandbox' }
        : credentials,
    maxAttempts: 1,
  };
  return {
    sts: new STSClient(config),
    sagemaker: new SageMakerClient(config),
    codepipeline: new CodePipelineClient(config),
    codebuild: new CodeBuildClient(config),
    servicecatalog: new ServiceCatalogClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    sqs: new SQSClient(config),
    events: new EventBridgeClient(config),
  };
}

/** Starts a sandbox for a test file on a free port, with fast simulated steps. */
export function useSandbox(options: SandboxOptions = {}) {
  const ref: { current: Sandbox } = {} as any;
  beforeAll(async () => {
    ref.current = await startSandbox({ port: 0, stepMs: 20, ...options });
  });
  afterAll(() => ref.current?.close());
  return ref;
}

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise(r => setTimeout(r, 25));
  }
}

export const FRAUD_DEV = '222222222222';
export const CHURN_DEV = '222222222223';
export const SHARED = '111111111111';
export const TEST = '333333333333';
export const PROD = '444444444444';
export const TOOLING = '999999999999';
