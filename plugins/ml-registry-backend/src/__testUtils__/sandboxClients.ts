import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { Sandbox, SANDBOX_AWS_CONFIG } from '@ml-governance/aws-sandbox';
import { AwsClientFactory } from '@ml-governance/plugin-ml-registry-node';

/**
 * The config of a backend reaching the sandbox's accounts through their
 * roles: one attempt a call unless `mlRegistry` says otherwise.
 */
export function sandboxRegistryConfig(
  sandbox: Pick<Sandbox, 'url'>,
  mlRegistry: JsonObject = {},
) {
  return {
    mlRegistry: { endpoint: sandbox.url, maxAttempts: 1, ...mlRegistry },
    aws: SANDBOX_AWS_CONFIG,
  };
}

/** The backend's client factory on the sandbox, as `sandboxRegistryConfig` configures it. */
export function sandboxClients(
  sandbox: Pick<Sandbox, 'url'>,
  mlRegistry: JsonObject = {},
): AwsClientFactory {
  return AwsClientFactory.fromConfig(
    new ConfigReader(sandboxRegistryConfig(sandbox, mlRegistry)),
  );
}
