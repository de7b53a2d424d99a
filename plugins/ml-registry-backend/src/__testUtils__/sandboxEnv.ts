import { Sandbox } from '@ml-governance/aws-sandbox';

/**
 * The AWS SDK's default credential chain pointed at the sandbox: its STS
 * endpoint, the deployment's own account as the access key, one region.
 */
function sandboxEnv(sandbox: Sandbox): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_STS: sandbox.url,
    AWS_ACCESS_KEY_ID: '999999999999',
    AWS_SECRET_ACCESS_KEY: 'x',
    AWS_REGION: 'us-east-1',
  };
}

/** Sets the environment a backend started in a test reads its AWS credentials from. */
export function useSandboxEnv(sandbox: Sandbox): void {
  Object.assign(process.env, sandboxEnv(sandbox));
}

/** Removes what `useSandboxEnv` set, so that later tests read their own. */
export function clearSandboxEnv(): void {
  for (const key of Object.keys(sandboxEnv({ url: '' } as Sandbox)))
    delete process.env[key];
}
