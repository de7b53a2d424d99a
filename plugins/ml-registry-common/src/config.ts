import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ACCOUNT_STAGES, isAccountStage, MlAccount } from './accounts';

/**
 * The ML platform topology read from the `mlRegistry` config key.
 *
 * @public
 */
export interface MlPlatformConfig {
  region: string;
  /** Endpoint override for every AWS client, e.g. the local sandbox. */
  endpoint?: string;
  accounts: MlAccount[];
}

const ACCOUNT_ID = /^\d{12}$/;
// Account names become parts of entity names, so they follow the same rules.
const ACCOUNT_NAME = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** One `mlRegistry.accounts[index]`, checked; `seen` holds the ids and names of those before it. */
function readAccount(
  account: Config,
  index: number,
  seen: { ids: Set<string>; names: Set<string> },
): MlAccount {
  const key = `mlRegistry.accounts[${index}]`;
  const accountId = account.getString('accountId');
  if (!ACCOUNT_ID.test(accountId)) {
    throw new InputError(
      `${key}.accountId: '${accountId}' is not a 12-digit AWS account id`,
    );
  }
  const stage = account.getString('stage');
  if (!isAccountStage(stage)) {
    throw new InputError(
      `${key}.stage: '${stage}' is not one of ${ACCOUNT_STAGES.join(', ')}`,
    );
  }
  const name = account.getString('name');
  if (!ACCOUNT_NAME.test(name)) {
    throw new InputError(
      `${key}.name: '${name}' must be lower-case letters, digits and dashes, at most 40 characters`,
    );
  }
  if (seen.ids.has(accountId)) {
    throw new InputError(`${key}.accountId: ${accountId} is configured twice`);
  }
  if (seen.names.has(name)) {
    throw new InputError(`${key}.name: '${name}' is configured twice`);
  }
  seen.ids.add(accountId);
  seen.names.add(name);
  const team = account.getOptionalString('team');
  const buckets = readArtifactBuckets(account, key, stage);
  return {
    accountId,
    stage,
    name,
    ...(team ? { team } : {}),
    ...(buckets ? { artifactBuckets: buckets } : {}),
  };
}

/** `<key>.artifactBuckets`: S3 bucket names, of a dev account only. */
function readArtifactBuckets(
  account: Config,
  key: string,
  stage: string,
): string[] | undefined {
  const buckets = account.getOptionalStringArray('artifactBuckets');
  buckets?.forEach((bucket, i) => {
    if (!BUCKET_NAME.test(bucket)) {
      throw new InputError(
        `${key}.artifactBuckets[${i}]: '${bucket}' is not an S3 bucket name`,
      );
    }
  });
  if (buckets && stage !== 'dev') {
    throw new InputError(
      `${key}.artifactBuckets: only a dev account's artifacts are promoted, this account is ${stage}`,
    );
  }
  return buckets;
}

/**
 * Reads and validates the `mlRegistry` config. Every error names the key at fault,
 * e.g. `mlRegistry.accounts[1].accountId`.
 *
 * @public
 */
export function readMlPlatformConfig(config: Config): MlPlatformConfig {
  const root = config.getOptionalConfig('mlRegistry');
  if (!root) {
    return { region: 'us-east-1', accounts: [] };
  }
  const region = root.getOptionalString('region') ?? 'us-east-1';
  if (!REGION.test(region)) {
    throw new InputError(
      `mlRegistry.region: '${region}' is not an AWS region name such as us-east-1`,
    );
  }
  const endpoint = root.getOptionalString('endpoint');
  if (endpoint !== undefined && !/^https?:\/\/[^\s]+$/.test(endpoint)) {
    throw new InputError(
      `mlRegistry.endpoint: '${endpoint}' is not an http(s) URL`,
    );
  }
  const seen = { ids: new Set<string>(), names: new Set<string>() };
  const accounts = (root.getOptionalConfigArray('accounts') ?? []).map(
    (account, index) => readAccount(account, index, seen),
  );
  return { region, ...(endpoint ? { endpoint } : {}), accounts };
}

/**
 * The buckets promotion may copy a dev account's artifacts from: the
 * configured ones, else the bucket the SageMaker Python SDK makes and uses
 * by default, `sagemaker-<region>-<account id>`
 * (https://sagemaker.readthedocs.io/en/stable/api/utility/session.html, `default_bucket`).
 *
 * @public
 */
export function promotionSourceBuckets(
  platform: MlPlatformConfig,
  account: MlAccount,
): string[] {
  return (
    account.artifactBuckets ?? [
      `sagemaker-${platform.region}-${account.accountId}`,
    ]
  );
}

/**
 * The registries of SageMaker's built-in algorithm, framework (scikit-learn,
 * XGBoost) and Deep Learning Container images, by region
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-algo-docker-registry-paths.html,
 * one page a region, e.g. https://docs.aws.amazon.com/sagemaker/latest/dg-ecr-paths/ecr-us-east-1.html).
 * Another region's are configured under `mlRegistry.promotion.imageRegistries`.
 */
const SAGEMAKER_IMAGE_REGISTRIES: Record<string, string[]> = {
  'us-east-1': ['683313688378', '382416733822', '763104351884'],
  'us-east-2': ['257758044811', '404615174143', '763104351884'],
  'us-west-2': ['246618743249', '174872318107', '763104351884'],
  'eu-west-1': ['141502667606', '438346466558', '763104351884'],
};

/**
 * An ECR private registry's host, `<account id>.dkr.ecr.<region>.amazonaws.com`.
 *
 * @public
 */
export const ECR_REGISTRY_HOST =
  /^(\d{12})\.dkr\.ecr\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com$/;

const ecrRegistryHost = (platform: MlPlatformConfig, accountId: string) =>
  `${accountId}.dkr.ecr.${platform.region}.amazonaws.com`;

/**
 * The registries promotion allows unless configured: the shared services and
 * dev accounts' and the region's SageMaker built-in image registries.
 *
 * @public
 */
export function defaultPromotionImageRegistries(
  platform: MlPlatformConfig,
): string[] {
  return [
    ...platform.accounts
      .filter(a => a.stage === 'shared-services' || a.stage === 'dev')
      .map(a => a.accountId),
    ...(SAGEMAKER_IMAGE_REGISTRIES[platform.region] ?? []),
  ].map(accountId => ecrRegistryHost(platform, accountId));
}

/**
 * The ECR registries (hosts) whose images promotion lets into the central
 * registry, from `mlRegistry.promotion.imageRegistries` (registry hosts or
 * account ids, which stand for the account's registry in the platform's
 * region). Default: the shared services and dev accounts' registries and the
 * region's SageMaker built-in image registries. Only registries of the
 * platform's region are taken: promotion resolves tags there.
 *
 * @public
 */
export function readPromotionImageRegistries(
  config: Config,
  platform: MlPlatformConfig,
): string[] {
  const host = (accountId: string) => ecrRegistryHost(platform, accountId);
  const configured = config.getOptionalStringArray(
    'mlRegistry.promotion.imageRegistries',
  );
  if (!configured) return defaultPromotionImageRegistries(platform);
  return configured.map((entry, i) => {
    if (ACCOUNT_ID.test(entry)) return host(entry);
    const region = entry.match(ECR_REGISTRY_HOST)?.[2];
    if (!region) {
      throw new InputError(
        `mlRegistry.promotion.imageRegistries[${i}]: '${entry}' is neither a 12-digit account id nor an ECR registry host such as ${host(
          '123456789012',
        )}`,
      );
    }
    if (region !== platform.region) {
      throw new InputError(
        `mlRegistry.promotion.imageRegistries[${i}]: '${entry}' is in ${region}, but promotion resolves images in mlRegistry.region (${platform.region})`,
      );
    }
    return entry;
  });
}

/**
 * The configured account of that name; the error names the configured ones.
 *
 * @public
 */
export function accountByName(
  platform: MlPlatformConfig,
  name: string,
  key = 'account',
): MlAccount {
  const account = platform.accounts.find(a => a.name === name);
  if (!account) {
    const known = platform.accounts.map(a => a.name).join(', ') || 'none';
    throw new InputError(
      `${key}: '${name}' is not a configured ML account (configured: ${known})`,
    );
  }
  return account;
}
