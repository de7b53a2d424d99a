import { createHash } from 'node:crypto';

/**
 * ModelPackageGroupName and ModelCardName: 1 to 63 characters, letters, digits
 * and inner hyphens.
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModelPackageGroup.html
 */
const GROUP_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const MAX_LENGTH = 63;

/**
 * The name of the central registry's group (and model card) a dev account's
 * model package group is promoted into: `<dev group>-<dev account id>`, so two
 * teams' groups of the same name never share a central group. When that is
 * longer than SageMaker allows, the dev group's name is cut and a hash of all
 * of it keeps two long names with the same beginning apart.
 *
 * @public
 */
export function centralGroupName(
  devGroup: string,
  devAccountId: string,
): string {
  if (!GROUP_NAME.test(devGroup)) {
    throw new Error(`Not a model package group name: '${devGroup}'`);
  }
  if (!/^\d{12}$/.test(devAccountId)) {
    throw new Error(`Not an AWS account id: '${devAccountId}'`);
  }
  const name = `${devGroup}-${devAccountId}`;
  if (name.length <= MAX_LENGTH) return name;
  const hash = createHash('sha256').update(devGroup).digest('hex').slice(0, 8);
  const kept = devGroup.slice(
    0,
    MAX_LENGTH - hash.length - devAccountId.length - 2,
  );
  return `${kept}-${hash}-${devAccountId}`;
}
