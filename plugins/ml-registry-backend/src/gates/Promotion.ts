import { createHash, randomUUID } from 'node:crypto';
import { ConflictError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CopyObjectCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateModelPackageCommand,
  DescribeModelPackageCommand,
  ModelPackage,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  defaultPromotionImageRegistries,
  MlAccount,
  MlPlatformConfig,
  parseModelPackageArn,
  promotionSourceBuckets,
} from '@ml-governance/plugin-ml-registry-common';
import {
  AwsClientFactory,
  centralGroupName,
  ensureModelPackageGroup,
  unlessAwsNotFound,
} from '@ml-governance/plugin-ml-registry-node';
import { AuditLog } from '../database/AuditLog';
import { PromotionProgress, PromotionStore } from '../database/PromotionStore';
import { ModelVersionRecord, VersionStore } from '../database/VersionStore';
import { SOURCE_ARN_KEY, toVersion } from '../sync/AccountSync';
import { pinImages } from './pinImages';
import { ensureCard } from './promotionCard';
import { PromotionRefused } from './PromotionRefused';

/** The actor the audit log names for what the plugin does by itself. */
export const PLUGIN_ACTOR = 'plugin:ml-registry';

const S3_URI = /^s3:\/\/([^/]+)\/(.+)$/;
const DEFAULT_LEASE_MS = 120_000;

/** An S3 object a dev version names, as its URI and as bucket and key. */
interface Artifact {
  uri: string;
  bucket: string;
  key: string;
}

export interface PromotionOptions {
  clients: AwsClientFactory;
  platform: MlPlatformConfig;
  versions: VersionStore;
  promotions: PromotionStore;
  audit: AuditLog;
  logger: LoggerService;
  /**
   * The ECR registry hosts a promoted image may come from (mlRegistry.promotion.imageRegistries).
   * Default: the shared services and dev accounts' registries and the region's SageMaker image registries.
   */
  imageRegistries?: string[];
  /** The shared services bucket artifacts are copied to. Default ml-shared-artifacts-<account id>. */
  artifactBucket?: string;
  /** How long a replica's claim on a promotion lasts unless renewed (mlRegistry.promotion.lease). Default 2 minutes. */
  leaseMs?: number;
  /** Told of the central version a promotion created, as the sync tells of new states. */
  onNewStates?: (versions: ModelVersionRecord[]) => Promise<void>;
}

/**
 * Promotes an approved dev version to the central registry, where only
 * promoted versions live so that one registry holds what may reach
 * production: copies its artifacts, found only in the dev account's own
 * buckets, to the shared services bucket (container images are pinned by
 * digest, from allowed registries only, not copied), creates the central group with its
 * cross-account policy when missing, creates the central package carrying the
 * metrics, lineage and source ARN, and creates or updates the model card.
 * Every step finds what an earlier, interrupted run did, and the package is
 * created with a client token derived from the dev ARN, so any number of
 * re-runs end with one central package and one card version. One replica at a
 * time runs a promotion, holding its lease in the database (PromotionStore).
 */
export class Promotion {
  /** Runs under way in this replica: a second trigger (event, reconcile, retry) joins the first. */
  private readonly running = new Map<string, Promise<string>>();
  /** This replica, as the promotions' leases name it. */
  private readonly replica = randomUUID();
  /** Promotions another replica holds, waiting here for its lease to end. */
  private readonly takeovers = new Set<string>();

  constructor(private readonly options: PromotionOptions) {}

  private get shared(): MlAccount {
    const account = this.options.platform.accounts.find(
      a => a.stage === 'shared-services',
    );
    if (!account)
      throw new Error(
        'No shared-services account is configured under mlRegistry.accounts',
      );
    return account;
  }

  /**
   * Promotes every approved version of a dev account that has no central copy
   * yet and whose approval `mayPromote` accepts (see promotionTrigger.ts).
   */
  async reconcile(
    accountId: string,
    mayPromote: (devArn: string) => Promise<boolean>,
  ): Promise<void> {
    for (const devArn of await this.options.versions.approvedWithoutCentralCopy(
      accountId,
    )) {
      const previous = await this.options.promotions.get(devArn);
      // A failed promotion waits for someone to retry it; one left running by a crash resumes.
      if (previous?.status === 'failed') continue;
      if (!previous && !(await mayPromote(devArn))) continue;
      await this.promote(devArn).catch(() => undefined);
    }
  }

  /** Runs (or resumes) the promotion of one dev version; returns the central ARN. */
  promote(devArn: string): Promise<string> {
    const running = this.running.get(devArn);
    if (running) return running;
    const run = this.run(devArn).finally(() => this.running.delete(devArn));
    this.running.set(devArn, run);
    return run;
  }

  private async run(devArn: string): Promise<string> {
    const parsed = parseModelPackageArn(devArn);
    if (!parsed) throw new Error(`Not a model package ARN: ${devArn}`);
    const { promotions } = this.options;
    const leaseMs = this.options.leaseMs ?? DEFAULT_LEASE_MS;
    if (!(await promotions.claim(devArn, this.replica, leaseMs))) {
      await this.takeOverWhenLeaseEnds(devArn);
      throw new ConflictError(
        `The promotion of ${devArn} is under way in another replica; it is taken over if that one stops for ${
          leaseMs / 1000
        } s`,
      );
    }
    const renewal = setInterval(() => {
      promotions
        .record(devArn, this.replica, {}, leaseMs)
        .catch(() => undefined);
    }, leaseMs / 3);
    renewal.unref();
    try {
      return await this.steps(devArn, parsed.accountId, parsed.group, leaseMs);
    } finally {
      clearInterval(renewal);
    }
  }

  /**
   * A replica that died holding a promotion's lease leaves it running, and
   * nothing else would run it before the next sync of its account: it resumes
   * here once the lease has ended. A holder still alive renews its lease
   * meanwhile, so this waits again, and a promotion finished meanwhile is left.
   */
  private async takeOverWhenLeaseEnds(devArn: string): Promise<void> {
    if (this.takeovers.has(devArn)) return;
    const held = await this.options.promotions.get(devArn);
    if (held?.status !== 'running' || !held.leaseExpiresAt) return;
    this.takeovers.add(devArn);
    const timer = setTimeout(async () => {
      this.takeovers.delete(devArn);
      const now = await this.options.promotions
        .get(devArn)
        .catch(() => undefined);
      if (now?.status !== 'running') return;
      if (now.leaseExpiresAt && now.leaseExpiresAt.getTime() > Date.now()) {
        await this.takeOverWhenLeaseEnds(devArn).catch(() => undefined);
        return;
      }
      await this.promote(devArn).catch(() => undefined);
    }, Math.max(0, held.leaseExpiresAt.getTime() - Date.now()) + 1000);
    timer.unref();
  }

  /** The promotion's steps, run by the replica holding its lease; each recorded before it starts. */
  private async steps(
    devArn: string,
    devAccountId: string,
    group: string,
    leaseMs: number,
  ): Promise<string> {
    const { clients, promotions } = this.options;
    let step = 'read';
    const record = async (progress: PromotionProgress) => {
      if (!(await promotions.record(devArn, this.replica, progress, leaseMs))) {
        throw new Error(
          `another replica took the promotion of ${devArn} over after this one's lease expired`,
        );
      }
    };
    const at = async (next: string, progress: PromotionProgress = {}) => {
      step = next;
      await record({ ...progress, step });
    };
    try {
      const source = await this.approvedSource(devArn, devAccountId);
      const shared = this.shared;
      const central = await clients.create(SageMakerClient, shared.accountId);
      await at('check');
      const artifacts = this.artifactsOf(source, devAccountId);
      const pinned = await this.pinnedImages(source);
      await at('group');
      const centralGroup = await this.ensureCentralGroup(central, source, {
        devArn,
        devAccountId,
        group,
      });
      await at('artifacts');
      const copy = await this.copyArtifacts(source, devAccountId, artifacts);
      step = 'package';
      const centralArn = await createCentralPackage(central, centralGroup, {
        devArn,
        source,
        pinned,
        copy,
      });
      await at('package', { centralArn });
      const created = await central.send(
        new DescribeModelPackageCommand({ ModelPackageName: centralArn }),
      );
      await at('card');
      await ensureCard(central, centralGroup, created, source);
      await this.publish(shared, created as ModelPackage);
      await record({ status: 'done' });
      await this.audited(devArn, 'ok', { centralArn });
      return centralArn;
    } catch (e: any) {
      await this.failed(devArn, step, e, leaseMs);
      throw e;
    }
  }

  /** The dev version as SageMaker describes it, refused unless it is approved. */
  private async approvedSource(
    devArn: string,
    devAccountId: string,
  ): Promise<ModelPackage> {
    const dev = await this.options.clients.create(
      SageMakerClient,
      devAccountId,
    );
    const source = await dev.send(
      new DescribeModelPackageCommand({ ModelPackageName: devArn }),
    );
    if (source.ModelApprovalStatus !== 'Approved') {
      throw new Error(
        `${devArn} is ${source.ModelApprovalStatus}, not Approved: only approved versions are promoted`,
      );
    }
    return source;
  }

  /** The central group, created when missing; the deployment accounts read its packages when their endpoints are created. */
  private async ensureCentralGroup(
    central: SageMakerClient,
    source: ModelPackage,
    dev: { devArn: string; devAccountId: string; group: string },
  ): Promise<string> {
    const { platform } = this.options;
    const name = await this.centralGroup(
      dev.devArn,
      dev.group,
      dev.devAccountId,
    );
    await ensureModelPackageGroup(central, {
      name,
      description: source.ModelPackageDescription,
      accountId: this.shared.accountId,
      region: platform.region,
      readerAccountIds: platform.accounts
        .filter(a => a.stage === 'test' || a.stage === 'prod')
        .map(a => a.accountId),
    });
    return name;
  }

  /** Stores the central version, and tells of its new state as the sync would. */
  private async publish(shared: MlAccount, created: ModelPackage) {
    const newStates = await this.options.versions.upsertVersions([
      toVersion(shared, created),
    ]);
    if (newStates.length) await this.options.onNewStates?.(newStates);
  }

  /** Records a failed promotion, unless another replica took it over (that one records how it ends). */
  private async failed(
    devArn: string,
    step: string,
    e: any,
    leaseMs: number,
  ): Promise<void> {
    const error = `${e?.name ?? 'Error'} at step ${step}: ${e?.message ?? e}`;
    const { promotions, logger } = this.options;
    const progress = { status: 'failed' as const, step, error };
    if (!(await promotions.record(devArn, this.replica, progress, leaseMs))) {
      logger.warn(`Promotion of ${devArn} stopped here: ${error}`);
      return;
    }
    logger.warn(`Promotion of ${devArn} failed; it can be retried`, { error });
    const result = e instanceof PromotionRefused ? 'denied' : 'failed';
    await this.audited(devArn, result, { error });
  }

  private audited(
    devArn: string,
    result: 'ok' | 'denied' | 'failed',
    detail: Record<string, unknown>,
  ): Promise<void> {
    return this.options.audit.append({
      actor: PLUGIN_ACTOR,
      action: 'promote',
      gate: 'promotion',
      arn: devArn,
      result,
      detail,
    });
  }

  /** The dev version's container images pinned by digest, from the allowed registries only. */
  private pinnedImages(source: ModelPackage): Promise<Map<string, string>> {
    const { clients, imageRegistries, platform } = this.options;
    return pinImages(
      {
        clients,
        sharedAccountId: this.shared.accountId,
        allowed: imageRegistries ?? defaultPromotionImageRegistries(platform),
      },
      source,
    );
  }

  /**
   * The central group a dev version goes to: the one its group's earlier
   * versions went to (central groups made before names carried the dev
   * account bear the dev group's name alone), else the group's own
   * `<dev group>-<dev account id>`, which no other team's group can take.
   */
  private async centralGroup(
    devArn: string,
    devGroup: string,
    devAccountId: string,
  ): Promise<string> {
    return (
      (await this.options.promotions.earlierCentralGroup(devArn)) ??
      centralGroupName(devGroup, devAccountId)
    );
  }

  /**
   * The S3 objects of a dev version to copy: its model data and the reports
   * its metrics name, each of which must lie in one of the dev account's own
   * artifact buckets. The shared services role may read more than those (S3
   * ARNs carry no account), so a registrant naming another team's objects, or
   * the shared account's own, would otherwise have them copied for test and prod.
   */
  private artifactsOf(source: ModelPackage, devAccountId: string): Artifact[] {
    const account = this.options.platform.accounts.find(
      a => a.accountId === devAccountId && a.stage === 'dev',
    );
    if (!account)
      throw new PromotionRefused(
        `account ${devAccountId} is not a configured dev account: its versions are not promoted`,
      );
    const allowed = promotionSourceBuckets(this.options.platform, account);
    const uris = [
      ...(source.InferenceSpecification?.Containers ?? []).map(
        c => c.ModelDataUrl,
      ),
      ...collectUris(source.ModelMetrics),
    ].filter((u): u is string => !!u && S3_URI.test(u));
    return [...new Set(uris)].map(uri => {
      const [, bucket, key] = uri.match(S3_URI)!;
      if (!allowed.includes(bucket)) {
        throw new PromotionRefused(
          `${uri} is outside ${account.name}'s artifact locations (${allowed
            .map(b => `s3://${b}/`)
            .join(', ')}; mlRegistry.accounts[].artifactBuckets)`,
        );
      }
      return { bucket, key, uri };
    });
  }

  /**
   * Copies the artifacts into the shared bucket, each under the version's
   * prefix at its own source bucket and key, so no two artifacts share a
   * central object; returns the URI mapping. S3 itself checks that each
   * source bucket belongs to the dev account and the target to shared services
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html).
   */
  private async copyArtifacts(
    source: ModelPackage,
    devAccountId: string,
    artifacts: Artifact[],
  ): Promise<(uri: string) => string> {
    const shared = this.shared.accountId;
    const bucket =
      this.options.artifactBucket ?? `ml-shared-artifacts-${shared}`;
    const s3 = await this.options.clients.create(S3Client, shared);
    const prefix = `${source.ModelPackageGroupName}/${devAccountId}/v${source.ModelPackageVersion}`;
    const targets = new Map(
      artifacts.map(a => [a.uri, `${prefix}/${a.bucket}/${a.key}`]),
    );
    for (const artifact of artifacts) {
      const key = targets.get(artifact.uri)!;
      const present = await unlessAwsNotFound(
        s3.send(
          new HeadObjectCommand({
            Bucket: bucket,
            Key: key,
            ExpectedBucketOwner: shared,
          }),
        ),
      );
      if (!present) {
        await s3.send(
          new CopyObjectCommand({
            Bucket: bucket,
            Key: key,
            CopySource: `${artifact.bucket}/${artifact.key
              .split('/')
              .map(encodeURIComponent)
              .join('/')}`,
            ExpectedBucketOwner: shared,
            ExpectedSourceBucketOwner: devAccountId,
          }),
        );
      }
    }
    return uri => {
      const key = targets.get(uri);
      return key ? `s3://${bucket}/${key}` : uri;
    };
  }
}

/**
 * Creates the central package carrying the dev version's containers (each
 * as registered, its Environment too, which the governance checklist shows,
 * with its image pinned and its model data copied), metrics and source ARN.
 * Idempotent: the same dev version always makes the same request, so a
 * re-run ends with one central package.
 */
async function createCentralPackage(
  central: SageMakerClient,
  centralGroup: string,
  of: {
    devArn: string;
    source: ModelPackage;
    pinned: Map<string, string>;
    copy: (uri: string) => string;
  },
): Promise<string> {
  const { devArn, source, pinned, copy } = of;
  const { ModelPackageArn } = await central.send(
    new CreateModelPackageCommand({
      ModelPackageGroupName: centralGroup,
      ModelPackageDescription: source.ModelPackageDescription,
      ModelApprovalStatus: 'PendingManualApproval',
      ClientToken: createHash('sha256')
        .update(devArn)
        .digest('hex')
        .slice(0, 32),
      InferenceSpecification: source.InferenceSpecification && {
        ...source.InferenceSpecification,
        Containers: source.InferenceSpecification.Containers?.map(c => ({
          ...c,
          Image: c.Image && pinned.get(c.Image),
          ModelDataUrl: c.ModelDataUrl && copy(c.ModelDataUrl),
        })),
      },
      ...(source.ModelMetrics
        ? { ModelMetrics: rewriteUris(source.ModelMetrics, copy) }
        : {}),
      CustomerMetadataProperties: {
        ...source.CustomerMetadataProperties,
        [SOURCE_ARN_KEY]: devArn,
      },
    }),
  );
  return ModelPackageArn!;
}

function collectUris(value: unknown): string[] {
  if (typeof value === 'string') return S3_URI.test(value) ? [value] : [];
  if (value && typeof value === 'object')
    return Object.values(value).flatMap(collectUris);
  return [];
}

function rewriteUris<T>(value: T, map: (uri: string) => string): T {
  if (typeof value === 'string')
    return (S3_URI.test(value) ? map(value) : value) as T;
  if (Array.isArray(value)) return value.map(v => rewriteUris(v, map)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, rewriteUris(v, map)]),
    ) as T;
  }
  return value;
}
