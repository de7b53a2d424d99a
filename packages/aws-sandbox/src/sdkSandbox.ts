import { Sandbox, SandboxOptions, startSandbox } from './sandbox';

/**
 * The default scenario's ML accounts as `mlRegistry.accounts` configures
 * them, named as the scenario names them, each dev account with its team.
 */
export const SANDBOX_ML_ACCOUNTS = {
  shared: {
    accountId: '111111111111',
    stage: 'shared-services',
    name: 'ml-shared-services',
  },
  fraud: {
    accountId: '222222222222',
    stage: 'dev',
    name: 'fraud-dev',
    team: 'group:default/fraud-ds',
  },
  churn: {
    accountId: '222222222223',
    stage: 'dev',
    name: 'churn-dev',
    team: 'group:default/churn-ds',
  },
  test: { accountId: '333333333333', stage: 'test', name: 'ml-test' },
  prod: { accountId: '444444444444', stage: 'prod', name: 'ml-prod' },
  governance: {
    accountId: '555555555555',
    stage: 'governance',
    name: 'data-governance',
  },
} as const;

export interface SdkSandboxOptions extends Omit<SandboxOptions, 'port'> {
  /**
   * Also the default credential chain's keys (the tooling account's) and
   * region, for clients that Backstage's AWS integration does not make, such
   * as the SQS events module's.
   */
  defaultCredentials?: boolean;
}

/**
 * A sandbox on a free port with the AWS SDK's standard environment pointing
 * at it: `AWS_ENDPOINT_URL_STS`, so that `@backstage/integration-aws-node`
 * assumes the accounts' roles in the sandbox as it would at a VPC endpoint.
 * Its `close` also removes what it set, so one test file's sandbox never
 * answers for the next.
 */
export async function startSdkSandbox(
  options: SdkSandboxOptions = {},
): Promise<Sandbox> {
  const { defaultCredentials, ...sandboxOptions } = options;
  const sandbox = await startSandbox({ ...sandboxOptions, port: 0 });
  const environment: Record<string, string> = {
    AWS_ENDPOINT_URL_STS: sandbox.url,
    ...(defaultCredentials
      ? {
          AWS_ACCESS_KEY_ID: '999999999999',
          AWS_SECRET_ACCESS_KEY: 'x',
          AWS_REGION: 'us-east-1',
        }
      : {}),
  };
  Object.assign(process.env, environment);
  return {
    ...sandbox,
    close: async () => {
      for (const key of Object.keys(environment)) delete process.env[key];
      await sandbox.close();
    },
  };
}

/** AWS SDK client options acting as an account's root user in the sandbox. */
export function sandboxRootClientConfig(
  sandbox: Pick<Sandbox, 'url'>,
  accountId: string,
) {
  return {
    endpoint: sandbox.url,
    region: 'us-east-1',
    credentials: { accessKeyId: accountId, secretAccessKey: 'x' },
  };
}
