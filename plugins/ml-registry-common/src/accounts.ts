/**
 * The role an AWS account plays in the ML platform.
 *
 * @public
 */
export type AccountStage =
  | 'shared-services'
  | 'dev'
  | 'test'
  | 'prod'
  | 'governance';

/** @public */
export const ACCOUNT_STAGES: readonly AccountStage[] = [
  'shared-services',
  'dev',
  'test',
  'prod',
  'governance',
];

/**
 * One AWS account of the ML platform, as configured under `mlRegistry.accounts`.
 *
 * @public
 */
export interface MlAccount {
  /** The 12-digit AWS account id. */
  accountId: string;
  stage: AccountStage;
  /** A short unique name, used in entity names and by templates to pick the account. */
  name: string;
  /** The owning team for a dev account, as an entity ref. */
  team?: string;
  /**
   * The buckets of a dev account promotion may copy its versions' artifacts
   * from (see `promotionSourceBuckets`).
   */
  artifactBuckets?: string[];
}

/** @public */
export function isAccountStage(value: unknown): value is AccountStage {
  return (ACCOUNT_STAGES as readonly unknown[]).includes(value);
}
