import { Config } from '@backstage/config';
import { DEFAULT_APPROVERS } from '@ml-governance/plugin-ml-registry-common';

/** The accounts of the local sandbox and app-config.yaml: fictional, never anyone's real accounts. */
const EXAMPLE_ACCOUNT_IDS = [
  '111111111111',
  '222222222222',
  '222222222223',
  '333333333333',
  '444444444444',
  '555555555555',
  '999999999999',
];
const EXAMPLE_ACCOUNT = new RegExp(
  `(?<!\\d)(${EXAMPLE_ACCOUNT_IDS.join('|')})(?!\\d)`,
);
const LOCAL_ADDRESS =
  /^(https?:\/\/)?(localhost|127\.\d+\.\d+\.\d+|\[?::1\]?)([:/]|$)/i;

/** Every string in the config with its key, e.g. `mlRegistry.accounts[0].accountId`. */
function* strings(value: unknown, key: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [key, value];
  else if (Array.isArray(value))
    for (const [i, v] of value.entries()) yield* strings(v, `${key}[${i}]`);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value))
      yield* strings(v, key ? `${key}.${k}` : k);
  }
}

/**
 * The config keys that still hold local development values: anything naming
 * an example account of the sandbox (accounts, identities, keys, queues) or a
 * loopback address (the sandbox endpoint, dev origins), a CSP that allows
 * plain http, the example organisation's approver groups. Each entry names the
 * key and what is wrong with it.
 */
export function localValuesIn(config: Config): string[] {
  const found: string[] = [];
  for (const [key, value] of strings(config.get(), '')) {
    const account = EXAMPLE_ACCOUNT.exec(value)?.[1];
    if (account)
      found.push(
        `${key}: '${value}' names ${account}, an example account of the sandbox`,
      );
    else if (LOCAL_ADDRESS.test(value))
      found.push(`${key}: '${value}' is a local address`);
  }
  for (const [key, value] of strings(
    config.getOptional('backend.csp'),
    'backend.csp',
  )) {
    if (value === 'http:')
      found.push(
        `${key}: 'http:' lets the app connect anywhere over plain http`,
      );
  }
  const exampleGroups = Object.values(DEFAULT_APPROVERS).flat();
  for (const [key, value] of strings(
    config.getOptional('mlRegistry.gates.approvers'),
    'mlRegistry.gates.approvers',
  )) {
    if (exampleGroups.includes(value))
      found.push(`${key}: '${value}' is a group of the example organisation`);
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
    throw new Error(
      `Refusing to start in production with local development config (override each in your production config):\n  ${found.join(
        '\n  ',
      )}`,
    );
  }
}
