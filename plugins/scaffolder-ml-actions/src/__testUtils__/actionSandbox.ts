import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  Sandbox,
  SANDBOX_AWS_CONFIG,
  SANDBOX_ML_ACCOUNTS,
  sandboxRootClientConfig,
  startSdkSandbox,
} from '@ml-governance/aws-sandbox';
import { AwsClientFactory } from '@ml-governance/plugin-ml-registry-node';
import yaml from 'yaml';

/** The default scenario's accounts, configured as a platform team would. */
export const ACCOUNTS = Object.values(SANDBOX_ML_ACCOUNTS);

/**
 * A sandbox with the default scenario and the config and AWS clients actions
 * get in a real backend (credentials through the sandbox's STS), configured
 * with every scenario account or the `accounts` given.
 */
export async function startActionSandbox(
  options: { stepMs?: number; accounts?: typeof ACCOUNTS } = {},
) {
  const sandbox: Sandbox = await startSdkSandbox({
    stepMs: options.stepMs ?? 10,
  });
  const config = new ConfigReader({
    mlRegistry: {
      endpoint: sandbox.url,
      maxAttempts: 1,
      accounts: options.accounts ?? ACCOUNTS,
    },
    aws: SANDBOX_AWS_CONFIG,
  });
  return {
    sandbox,
    config,
    clients: AwsClientFactory.fromConfig(config),
    /** SDK options acting as an account's root, to look at what an action made. */
    as: (accountId: string) => sandboxRootClientConfig(sandbox, accountId),
    close: () => sandbox.close(),
  };
}

/** The input of an example's first step. */
export const exampleInput = (example: { example: string }) =>
  yaml.parse(example.example).steps[0].input;

/** Runs `action` on its first example's input with `changes` made to it. */
export function runFirstExampleWith(
  action: { handler: (ctx: any) => Promise<void> },
  examples: { example: string }[],
  changes: Record<string, unknown>,
) {
  return action.handler(
    contextWith({ ...exampleInput(examples[0]), ...changes }).ctx,
  );
}

/** A mock action context with a logger whose lines the test can read. */
export function contextWith(
  input: Record<string, any>,
  options: { dryRun?: boolean } = {},
) {
  const logger = mockServices.logger.mock();
  // Typed loosely: each test hands the context to an action with its own input type.
  const ctx: any = createMockActionContext({ input, logger });
  // The mock context keeps only some options: set the dry-run flag on it directly.
  return {
    ctx: options.dryRun ? { ...ctx, isDryRun: true } : ctx,
    logged: () => logger.info.mock.calls.map(c => String(c[0])),
  };
}

/** Polls `f` until it returns something, for what the sandbox does in the background. */
export async function until<T>(
  what: string,
  f: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  for (
    const deadline = Date.now() + timeoutMs;
    Date.now() < deadline;
    await new Promise(r => setTimeout(r, 20))
  ) {
    const value = await f();
    if (value) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}
