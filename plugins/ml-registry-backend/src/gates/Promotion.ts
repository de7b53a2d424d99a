import { createHash, randomUUID } from 'node:crypto';
import { ConflictError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import { BatchGetImageCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  CopyObjectCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateModelCardCommand,
  CreateModelPackageCommand,
  DescribeModelCardCommand,
  DescribeModelPackageCommand,
  ModelPackage,
  SageMakerClient,
  UpdateModelCardCommand,
} from '@aws-sdk/client-sagemaker';
import {
  defaultPromotionImageRegistries,
  ECR_REGISTRY_HOST,
  MlAccount,
  MlPlatformConfig,
  promotionSourceBuckets,
} from '@ml-governance/plugin-ml-registry-common';
import {
  AwsClientFactory,
  centralGroupName,
  ensureModelPackageGroup,
} from '@ml-governance/plugin-ml-registry-node';
import { AuditLog } from '../database/AuditLog';
import { PromotionProgress, PromotionStore } from '../database/PromotionStore';
import { ModelVersionRecord, VersionStore } from '../database/VersionStore';
import { SOURCE_ARN_KEY, toVersion } from '../sync/AccountSync';

/** A promotion refused for what the dev version names, before anything was copied or created. */
export class PromotionRefused extends Error {
  override name = 'PromotionRefused';
}

/** The actor the audit log names for what the plugin does by itself. */
export const PLUGIN_ACTOR = 'plugin:ml-registry';

const PACKAGE_ARN =
  /^arn:aws[a-z-]*:sagemaker:[^:]+:(\d{12}):model-package\/([^/]+)\/(\d+)$/;
const S3_URI = /^s3:\/\/([^/]+)\/(.+)$/;
/**
 * A container image reference: registry host, repository, then a tag and/or a
 * digest (https://docs.aws.amazon.com/AmazonECR/latest/userguide/docker-pull-ecr-image.html).
 */
const IMAGE =
  /^([^/]+)\/([a-z0-9][a-z0-9._/-]*?)(?::([\w][\w.-]{0,299}))?(?:@(sha256:[0-9a-f]{64}))?$/;
/** The model card's custom detail naming the dev package its newest version came from. */
const CARD_SOURCE_KEY = 'source_model_package_arn';
const MAX_CARD_CONTENT = 100_000;
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
  /** How long a replica's claim on a promotion lasts unless renewed. Default 2 minutes. */
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
    const match = devArn.match(PACKAGE_ARN);
    if (!match) throw new Error(`Not a model package ARN: ${devArn}`);
    const { promotions } = this.options;
    const leaseMs = this.options.leaseMs ?? DEFAULT_LEASE_MS;
    if (!(await promotions.claim(devArn, this.replica, leaseMs))) {
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
      return await this.steps(devArn, match[1], match[2], leaseMs);
    } finally {
      clearInterval(renewal);
    }
  }

  /** The promotion's steps, run by the replica holding its lease. */
  private async steps(
    devArn: string,
    devAccountId: string,
    group: string,
    leaseMs: number,
  ): Promise<string> {
    const { clients, promotions, audit } = this.options;
    const record = async (progress: PromotionProgress) => {
      if (!(await promotions.record(devArn, this.replica, progress, leaseMs))) {
        throw new Error(
          `another replica took the promotion of ${devArn} over after this one's lease expired`,
        );
      }
    };
    let step = 'read';
    try {
      const dev = await clients.create(SageMakerClient, devAccountId);
      const source = await dev.send(
        new DescribeModelPackageCommand({ ModelPackageName: devArn }),
      );
      if (source.ModelApprovalStatus !== 'Approved') {
        throw new Error(
          `${devArn} is ${source.ModelApprovalStatus}, not Approved: only approved versions are promoted`,
        );
      }
      const shared = this.shared;
      const central = await clients.create(SageMakerClient, shared.accountId);

      step = 'check';
      await record({ step });
      const artifacts = this.artifactsOf(source, devAccountId);
      const pinned = await this.pinnedImages(source);

      step = 'group';
      await record({ step });
      const centralGroup = await this.centralGroup(devArn, group, devAccountId);
      // The deployment accounts read the group's packages when their endpoints are created.
      await ensureModelPackageGroup(central, {
        name: centralGroup,
        description: source.ModelPackageDescription,
        accountId: shared.accountId,
        region: this.options.platform.region,
        readerAccountIds: this.options.platform.accounts
          .filter(a => a.stage === 'test' || a.stage === 'prod')
          .map(a => a.accountId),
      });

      step = 'artifacts';
      await record({ step });
      const copy = await this.copyArtifacts(source, devAccountId, artifacts);

      step = 'package';
      const { ModelPackageArn: centralArn } = await central.send(
        new CreateModelPackageCommand({
          ModelPackageGroupName: centralGroup,
          ModelPackageDescription: source.ModelPackageDescription,
          ModelApprovalStatus: 'PendingManualApproval',
          // Idempotent: the same dev version always makes the same request.
          ClientToken: createHash('sha256')
            .update(devArn)
            .digest('hex')
            .slice(0, 32),
          InferenceSpecification: source.InferenceSpecification && {
            ...source.InferenceSpecification,
            // Each container as registered (its Environment too, which the governance checklist shows), its image pinned.
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
      await record({ centralArn, step });
      const created = await central.send(
        new DescribeModelPackageCommand({ ModelPackageName: centralArn }),
      );

      step = 'card';
      await record({ step });
      await this.ensureCard(central, centralGroup, created, source);

      const newStates = await this.options.versions.upsertVersions([
        toVersion(shared, created as ModelPackage),
      ]);
      if (newStates.length) await this.options.onNewStates?.(newStates);
      await record({ status: 'done' });
      await audit.append({
        actor: PLUGIN_ACTOR,
        action: 'promote',
        gate: 'promotion',
        arn: devArn,
        result: 'ok',
        detail: { centralArn },
      });
      return centralArn!;
    } catch (e: any) {
      const error = `${e?.name ?? 'Error'} at step ${step}: ${e?.message ?? e}`;
      if (
        !(await promotions.record(
          devArn,
          this.replica,
          { status: 'failed', step, error },
          leaseMs,
        ))
      ) {
        // The replica that took it over records how it ends.
        this.options.logger.warn(
          `Promotion of ${devArn} stopped here: ${error}`,
        );
        throw e;
      }
      this.options.logger.warn(
        `Promotion of ${devArn} failed; it can be retried`,
        { error },
      );
      await audit.append({
        actor: PLUGIN_ACTOR,
        action: 'promote',
        gate: 'promotion',
        arn: devArn,
        result: e instanceof PromotionRefused ? 'denied' : 'failed',
        detail: { error },
      });
      throw e;
    }
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
   * Each container image of a dev version, pinned by digest: the image must
   * come from an allowed ECR registry, and its tag (mutable: whoever can push
   * to the repository can move it) is resolved once, here, with the shared
   * services role (BatchGetImage, which a cross-account repository's policy
   * must allow: https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html),
   * so test and prod run the image that was reviewed. A digest given is checked to exist.
   */
  private async pinnedImages(
    source: ModelPackage,
  ): Promise<Map<string, string>> {
    const allowed =
      this.options.imageRegistries ??
      defaultPromotionImageRegistries(this.options.platform);
    const images = [
      ...new Set(
        (source.InferenceSpecification?.Containers ?? [])
          .map(c => c.Image)
          .filter((i): i is string => !!i),
      ),
    ];
    const pinned = new Map<string, string>();
    let ecr: ECRClient | undefined;
    for (const image of images) {
      const [, host, repositoryName, tag, digest] = image.match(IMAGE) ?? [];
      const registryId = host?.match(ECR_REGISTRY_HOST)?.[1];
      if (!registryId || !allowed.includes(host)) {
        throw new PromotionRefused(
          `container image ${image} is not in an allowed registry (${
            allowed.join(', ') || 'none'
          }; mlRegistry.promotion.imageRegistries)`,
        );
      }
      ecr ??= await this.options.clients.create(
        ECRClient,
        this.shared.accountId,
      );
      const imageId = digest
        ? { imageDigest: digest, ...(tag ? { imageTag: tag } : {}) }
        : { imageTag: tag ?? 'latest' };
      const { images: found, failures } = await ecr
        .send(
          new BatchGetImageCommand({
            registryId,
            repositoryName,
            imageIds: [imageId],
          }),
        )
        .catch((e: any) => {
          if (e?.name === 'RepositoryNotFoundException')
            throw new PromotionRefused(
              `container image ${image}: ${e.message}`,
            );
          throw e;
        });
      const resolved = found?.[0]?.imageId?.imageDigest;
      if (!resolved) {
        const failure = failures?.[0];
        throw new PromotionRefused(
          `container image ${image} cannot be pinned: ${
            failure?.failureCode ?? 'ImageNotFound'
          } (${
            failure?.failureReason ?? 'no image returned'
          }) in ${host}/${repositoryName}`,
        );
      }
      pinned.set(image, `${host}/${repositoryName}@${resolved}`);
    }
    return pinned;
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
      const present = await s3
        .send(
          new HeadObjectCommand({
            Bucket: bucket,
            Key: key,
            ExpectedBucketOwner: shared,
          }),
        )
        .then(
          () => true,
          (e: any) => {
            if (e?.$metadata?.httpStatusCode === 404 || e?.name === 'NotFound')
              return false;
            throw e;
          },
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

  /**
   * Creates the card for a new model; otherwise records the new version on it,
   * once. The card's JSON schema has no lineage field, so the dev package a
   * version came from is one of its custom details
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-sagemaker-modelcard-additionalinformation.html).
   */
  private async ensureCard(
    central: SageMakerClient,
    name: string,
    created: ModelPackage,
    source: ModelPackage,
  ) {
    const metrics = Object.fromEntries(
      Object.entries(source.CustomerMetadataProperties ?? {}).filter(
        ([, v]) => v !== '' && !Number.isNaN(Number(v)),
      ),
    );
    const overview = {
      model_name: name,
      model_description: source.ModelPackageDescription ?? name,
      model_version: created.ModelPackageVersion,
      model_artifact: created.InferenceSpecification?.Containers?.map(
        c => c.ModelDataUrl,
      ).filter(Boolean),
    };
    const lineage = { [CARD_SOURCE_KEY]: source.ModelPackageArn! };
    const existing = await central
      .send(new DescribeModelCardCommand({ ModelCardName: name }))
      .catch((e: any) => {
        if (
          e?.name === 'ResourceNotFound' ||
          /does not exist/i.test(String(e?.message))
        )
          return undefined;
        throw e;
      });
    const evaluation = [
      {
        name: `v${created.ModelPackageVersion}`,
        metric_groups: [
          {
            name: 'quality',
            metric_data: Object.entries(metrics).map(([k, v]) => ({
              name: k,
              type: 'number',
              value: Number(v),
            })),
          },
        ],
      },
    ];
    if (!existing) {
      await central.send(
        new CreateModelCardCommand({
          ModelCardName: name,
          ModelCardStatus: 'PendingReview',
          Content: cardContent({
            model_overview: overview,
            evaluation_details: evaluation,
            additional_information: { custom_details: lineage },
          }),
        }),
      );
      return;
    }
    const content = JSON.parse(existing.Content ?? '{}');
    if (content.model_overview?.model_version === created.ModelPackageVersion)
      return;
    await central.send(
      new UpdateModelCardCommand({
        ModelCardName: name,
        Content: cardContent({
          ...content,
          // The card's own wording stays; the version, its artifact and its source are the news.
          model_overview: {
            ...content.model_overview,
            model_version: overview.model_version,
            model_artifact: overview.model_artifact,
          },
          additional_information: {
            ...content.additional_information,
            custom_details: {
              ...content.additional_information?.custom_details,
              ...lineage,
            },
          },
          evaluation_details: [
            ...evaluation,
            ...(content.evaluation_details ?? []),
          ],
        }),
      }),
    );
  }
}

/**
 * A card's content as SageMaker takes it: at most 100,000 characters
 * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateModelCard.html),
 * so the oldest versions' evaluations give way to the newest.
 */
function cardContent(
  content: { evaluation_details: unknown[] } & Record<string, unknown>,
): string {
  const evaluations = [...content.evaluation_details];
  let text = JSON.stringify(content);
  while (text.length > MAX_CARD_CONTENT && evaluations.length > 1) {
    evaluations.pop();
    text = JSON.stringify({ ...content, evaluation_details: evaluations });
  }
  return text;
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
