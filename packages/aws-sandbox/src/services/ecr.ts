import { OperationTable, RequestContext } from '../context';
import type { SandboxCore } from '../core';
import { AwsError } from '../errors';
import { resourcePolicyAllows } from '../policy';
import { EcrRepository, nowSeconds } from '../state';
import { str } from '../validate';

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ImageIdentifier.html
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const MANIFEST_MEDIA_TYPE =
  'application/vnd.docker.distribution.manifest.v2+json';

/** The registry a call names (`registryId`), by default the caller's own. */
const registryOf = (input: any, ctx: RequestContext): string =>
  input?.registryId ?? ctx.caller.accountId;

export const repositoryArn = (
  core: SandboxCore,
  registryId: string,
  name: string,
) => `arn:aws:ecr:${core.region}:${registryId}:repository/${name}`;

/**
 * The repository a call names. Another account's repository is read only
 * where its repository policy allows the caller the action
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html);
 * the caller's identity policy is checked by the server on the repository ARN.
 */
function repositoryOf(
  ctx: RequestContext,
  input: any,
  action: string,
): EcrRepository {
  const registryId = registryOf(input, ctx);
  const name = str(input, 'repositoryName');
  const repository = ctx.core.state.repositories?.[`${registryId}/${name}`];
  if (!repository) {
    throw new AwsError(
      'RepositoryNotFoundException',
      `The repository with name '${name}' does not exist in the registry with id '${registryId}'`,
    );
  }
  const arn = repositoryArn(ctx.core, registryId, name);
  if (
    registryId !== ctx.caller.accountId &&
    !resourcePolicyAllows(repository.policy, {
      principal: { arn: ctx.caller.arn, account: ctx.caller.accountId },
      action,
      resource: arn,
    })
  ) {
    throw new AwsError(
      'AccessDeniedException',
      `User: ${ctx.caller.arn} is not authorized to perform: ${action} on resource: ${arn} because no resource-based policy allows the ${action} action`,
    );
  }
  return repository;
}

/** A seeded image's manifest: the sandbox keeps no layers, so it names none. */
const manifestOf = (digest: string) =>
  JSON.stringify({
    schemaVersion: 2,
    mediaType: MANIFEST_MEDIA_TYPE,
    config: {
      mediaType: 'application/vnd.docker.container.image.v1+json',
      size: 0,
      digest,
    },
    layers: [],
  });

/**
 * Seeds a repository with its images (tag to digest) and, optionally, its
 * policy; a tag seeded again moves to the new digest, as a push of a mutable tag does.
 */
export function putRepository(
  core: SandboxCore,
  registryId: string,
  name: string,
  tags: Record<string, string>,
  policy?: string,
) {
  const repositories = (core.state.repositories ??= {});
  const repository = (repositories[`${registryId}/${name}`] ??= {
    registryId,
    repositoryName: name,
    images: {},
  });
  if (policy !== undefined) repository.policy = policy;
  for (const [tag, digest] of Object.entries(tags)) {
    if (!DIGEST.test(digest))
      throw new Error(
        `aws-sandbox: image ${name}:${tag} has digest '${digest}', not sha256:<64 hex digits>`,
      );
    for (const image of Object.values(repository.images))
      image.tags = image.tags.filter(t => t !== tag);
    const image = (repository.images[digest] ??= {
      digest,
      tags: [],
      pushedAt: nowSeconds(),
    });
    image.tags.push(tag);
  }
}

export const ecrOperations: OperationTable = {
  /**
   * Each image by tag or digest; what is missing is a failure of the answer,
   * not an error (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_BatchGetImage.html).
   */
  BatchGetImage(input, ctx) {
    const repository = repositoryOf(ctx, input, 'ecr:BatchGetImage');
    const images: any[] = [];
    const failures: any[] = [];
    for (const imageId of input.imageIds as {
      imageTag?: string;
      imageDigest?: string;
    }[]) {
      const fail = (failureCode: string, failureReason: string) =>
        failures.push({ imageId, failureCode, failureReason });
      if (!imageId.imageTag && !imageId.imageDigest) {
        fail(
          'MissingDigestAndTag',
          'Invalid request parameters: both tag and digest cannot be null',
        );
        continue;
      }
      if (imageId.imageDigest && !DIGEST.test(imageId.imageDigest)) {
        fail('InvalidImageDigest', 'Invalid image digest');
        continue;
      }
      const byTag = imageId.imageTag
        ? Object.values(repository.images).find(i =>
            i.tags.includes(imageId.imageTag!),
          )
        : undefined;
      const image = imageId.imageDigest
        ? repository.images[imageId.imageDigest]
        : byTag;
      if (!image || (imageId.imageTag && !byTag)) {
        fail('ImageNotFound', 'Requested image not found');
        continue;
      }
      if (imageId.imageTag && imageId.imageDigest && byTag !== image) {
        fail(
          'ImageTagDoesNotMatchDigest',
          'Invalid request parameters: given tag does not map to the given digest',
        );
        continue;
      }
      images.push({
        registryId: repository.registryId,
        repositoryName: repository.repositoryName,
        imageId: {
          imageDigest: image.digest,
          ...(imageId.imageTag ? { imageTag: imageId.imageTag } : {}),
        },
        imageManifest: manifestOf(image.digest),
        imageManifestMediaType: MANIFEST_MEDIA_TYPE,
      });
    }
    return { images, failures };
  },

  /** Only the registry's own account sets a repository's policy. */
  SetRepositoryPolicy(input, ctx) {
    const registryId = registryOf(input, ctx);
    const name = str(input, 'repositoryName');
    const repository = ctx.core.state.repositories?.[`${registryId}/${name}`];
    if (!repository || registryId !== ctx.caller.accountId) {
      throw new AwsError(
        'RepositoryNotFoundException',
        `The repository with name '${name}' does not exist in the registry with id '${registryId}'`,
      );
    }
    try {
      JSON.parse(input.policyText);
    } catch {
      throw new AwsError(
        'InvalidParameterException',
        "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'",
      );
    }
    repository.policy = input.policyText;
    return { registryId, repositoryName: name, policyText: input.policyText };
  },
};
