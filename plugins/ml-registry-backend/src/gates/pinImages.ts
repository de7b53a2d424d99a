import { BatchGetImageCommand, ECRClient } from '@aws-sdk/client-ecr';
import { ModelPackage } from '@aws-sdk/client-sagemaker';
import { ECR_REGISTRY_HOST } from '@ml-governance/plugin-ml-registry-common';
import {
  AwsClientFactory,
  isAwsNotFound,
} from '@ml-governance/plugin-ml-registry-node';
import { PromotionRefused } from './PromotionRefused';

/**
 * A container image reference: registry host, repository, then a tag and/or a
 * digest (https://docs.aws.amazon.com/AmazonECR/latest/userguide/docker-pull-ecr-image.html).
 */
const IMAGE =
  /^([^/]+)\/([a-z0-9][a-z0-9._/-]*?)(?::([\w][\w.-]{0,299}))?(?:@(sha256:[0-9a-f]{64}))?$/;

interface PinDeps {
  clients: AwsClientFactory;
  /** The shared services account, whose role resolves the tags. */
  sharedAccountId: string;
  /** The ECR registry hosts images may come from. */
  allowed: string[];
}

/** One image pinned by digest, refused when outside the allowed registries or not found there. */
async function pinImage(
  deps: PinDeps,
  ecr: () => Promise<ECRClient>,
  image: string,
): Promise<string> {
  const [, host, repositoryName, tag, digest] = image.match(IMAGE) ?? [];
  const registryId = host?.match(ECR_REGISTRY_HOST)?.[1];
  if (!registryId || !deps.allowed.includes(host)) {
    throw new PromotionRefused(
      `container image ${image} is not in an allowed registry (${
        deps.allowed.join(', ') || 'none'
      }; mlRegistry.promotion.imageRegistries)`,
    );
  }
  const imageId = digest
    ? { imageDigest: digest, ...(tag ? { imageTag: tag } : {}) }
    : { imageTag: tag ?? 'latest' };
  const { images: found, failures } = await (
    await ecr()
  )
    .send(
      new BatchGetImageCommand({
        registryId,
        repositoryName,
        imageIds: [imageId],
      }),
    )
    .catch((e: any) => {
      if (isAwsNotFound(e))
        throw new PromotionRefused(`container image ${image}: ${e.message}`);
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
  return `${host}/${repositoryName}@${resolved}`;
}

/**
 * Each container image of a dev version, pinned by digest: the image must
 * come from an allowed ECR registry, and its tag (mutable: whoever can push
 * to the repository can move it) is resolved once, here, with the shared
 * services role (BatchGetImage, which a cross-account repository's policy
 * must allow: https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html),
 * so test and prod run the image that was reviewed. A digest given is checked to exist.
 */
export async function pinImages(
  deps: PinDeps,
  source: ModelPackage,
): Promise<Map<string, string>> {
  const images = new Set(
    (source.InferenceSpecification?.Containers ?? [])
      .map(c => c.Image)
      .filter((i): i is string => !!i),
  );
  let client: ECRClient | undefined;
  const ecr = async () =>
    (client ??= await deps.clients.create(ECRClient, deps.sharedAccountId));
  const pinned = new Map<string, string>();
  for (const image of images)
    pinned.set(image, await pinImage(deps, ecr, image));
  return pinned;
}
