import { Config } from '@backstage/config';
import { DEFAULT_APPROVERS } from '@ml-governance/plugin-ml-registry-common';

/** The accounts of the local sandbox and app-config.yaml: fictional, never anyone's real accounts. */
const EXAMPLE_ACCOUNT_IDS = ['111111111111', '222222222222', '222222222223', '333333333333', '444444444444', '555555555555', '999999999999'];
const LOCAL_URL = /^(https?:\/\/)?(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)([:/]|$)/i;

const strings = (value: unknown): string[] =>
  [value].flat().filter((v): v is string => typeof v === 'string');

/**
 * The config keys that still hold local development values: the sandbox
 * endpoint and keys, the example accounts and approver groups, localhost
 * origins. Each entry names the key and what is wrong with it.
 */
export function localValuesIn(config: Config): string[] {
  const found: string[] = [];
  const local = (key: string) => {
    for (const value of strings(config.getOptional(key))) {
      if (LOCAL_URL.test(value) || value === 'http:') found.push(`${key}: '${value}' is a local development value`);
    }
  };
  local('app.baseUrl');
  local('backend.baseUrl');
  local('backend.cors.origin');
  local('backend.csp.connect-src');
  local('mlRegistry.endpoint');
  for (const topic of config.getOptionalConfig('events.modules.awsSqs.awsSqsConsumingEventPublisher.topics')?.keys() ?? []) {
    local(`events.modules.awsSqs.awsSqsConsumingEventPublisher.topics.${topic}.queue.url`);
    local(`events.modules.awsSqs.awsSqsConsumingEventPublisher.topics.${topic}.queue.endpoint`);
  }
  (config.getOptionalConfigArray('mlRegistry.accounts') ?? []).forEach((account, i) => {
    const id = account.getOptionalString('accountId');
    if (id && EXAMPLE_ACCOUNT_IDS.includes(id)) found.push(`mlRegistry.accounts[${i}].accountId: ${id} is an example account of the sandbox`);
  });
  const mainKey = config.getOptionalString('aws.mainAccount.accessKeyId');
  if (mainKey && (EXAMPLE_ACCOUNT_IDS.includes(mainKey) || config.getOptionalString('aws.mainAccount.secretAccessKey') === 'sandbox')) {
    found.push('aws.mainAccount: holds the sandbox keys');
  }
  const exampleGroups = Object.values(DEFAULT_APPROVERS).flat();
  for (const [gate, refs] of Object.entries(config.getOptional<Record<string, unknown>>('mlRegistry.gates.approvers') ?? {})) {
    for (const ref of strings(refs).filter(r => exampleGroups.includes(r))) {
      found.push(`mlRegistry.gates.approvers.${gate}: '${ref}' is a group of the example organisation`);
    }
  }
  return found;
}

/**
 * Stops a production backend (`auth.environment: production`) that still holds
 * local development values, naming every offending key, so that loading
 * app-config.yaml under the production files cannot leave one in place.
 */
export function assertNoLocalValuesInProduction(config: Config): void {
  if (config.getOptionalString('auth.environment') !== 'production') return;
  const found = localValuesIn(config);
  if (found.length > 0) {
    throw new Error(`Refusing to start in production with local development config (override each in your production config):\n  ${found.join('\n  ')}`);
  }
}
