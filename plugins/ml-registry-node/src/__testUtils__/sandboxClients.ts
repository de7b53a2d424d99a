import { ConfigReader, JsonObject } from '@backstage/config';
import { Sandbox, SANDBOX_AWS_CONFIG } from '@ml-governance/aws-sandbox';
import { AwsClientFactory } from '../AwsClientFactory';

/**
 * A client factory reaching the sandbox (region us-east-1, the default), one
 * attempt a call unless `mlRegistry` says otherwise, with the sandbox's
 * roles unless `aws` names other credentials.
 */
export function sandboxClients(
  sandbox: Pick<Sandbox, 'url'>,
  options: { mlRegistry?: JsonObject; aws?: JsonObject } = {},
): AwsClientFactory {
  return AwsClientFactory.fromConfig(
    new ConfigReader({
      mlRegistry: {
        endpoint: sandbox.url,
        maxAttempts: 1,
        ...options.mlRegistry,
      },
      aws: options.aws ?? SANDBOX_AWS_CONFIG,
    }),
  );
}
