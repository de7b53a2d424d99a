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

/**
 * One model package group of one account, as served by `GET /models`.
 *
 * @public
 */
export interface ModelSummary {
  /** The catalog entity of the model, e.g. resource:default/fraud-dev--fraud-detection. */
  entityRef: string;
  accountId: string;
  accountName: string;
  stage: string;
  groupName: string;
  arn: string;
  description?: string;
  versions: number;
  latestVersion?: number;
  /** Versions by approval status. */
  statusCounts: Record<string, number>;
}

/** @public */
export interface ModelsResponse {
  items: ModelSummary[];
}

/**
 * One model package version, as served by the versions routes.
 *
 * @public
 */
export interface ModelVersion {
  arn: string;
  accountId: string;
  groupName: string;
  version: number;
  approvalStatus: string;
  approvalDescription?: string;
  createdBy?: string;
  createdAt: string;
  lastModifiedAt: string;
  metadata: Record<string, string>;
  /** The dev package a central version was promoted from. */
  sourceArn?: string;
  modelDataUrl?: string;
}

/** @public */
export interface VersionsPage {
  items: ModelVersion[];
  totalCount: number;
  offset: number;
  limit: number;
}

/**
 * A version with its lineage: where it was promoted from and to.
 *
 * @public
 */
export interface VersionDetails {
  version: ModelVersion;
  source?: ModelVersion;
  promotedTo: ModelVersion[];
}
