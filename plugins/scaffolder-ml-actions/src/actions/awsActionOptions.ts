import { Config } from '@backstage/config';
import { AwsClientFactory } from '@ml-governance/plugin-ml-registry-node';

/**
 * What an action that calls AWS is made with: the app's config (the accounts
 * under `mlRegistry`) and the factory of clients acting in those accounts.
 *
 * @public
 */
export type AwsActionOptions = {
  config: Config;
  clients: AwsClientFactory;
};

/**
 * An action that waits for AWS to finish, also given how often it asks
 * (milliseconds; tests ask briskly).
 *
 * @public
 */
export type WaitingAwsActionOptions = AwsActionOptions & { pollMs?: number };
