import { MlAccount } from './accounts';

/**
 * The sync state of one account, as served by `GET /accounts`.
 *
 * @public
 */
export interface AccountStatus extends MlAccount {
  /** When the account was last synced successfully, ISO 8601. */
  lastSyncAt?: string;
  /** The error of the last failed sync; the account's data is then stale. */
  lastError?: string;
  stale: boolean;
}

/** @public */
export interface AccountsResponse {
  items: AccountStatus[];
}
