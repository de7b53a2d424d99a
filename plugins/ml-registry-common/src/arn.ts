import { build, parse, validate } from '@aws-sdk/util-arn-parser';

/**
 * The AWS partitions this suite runs in: commercial, China and GovCloud (US).
 * An ARN's second field names its partition, and a region belongs to one
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
 *
 * @public
 */
export type ArnPartition = 'aws' | 'aws-cn' | 'aws-us-gov';

const PARTITIONS: readonly string[] = ['aws', 'aws-cn', 'aws-us-gov'];

/**
 * An ARN's fields. `resource` is everything after the account id, colons
 * included; `region` and `accountId` are empty where the service has none
 * (IAM has no region, S3 buckets neither).
 *
 * @public
 */
export interface Arn {
  partition: ArnPartition;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

/**
 * The partition a region is in: `cn-` regions are China's, `us-gov-` regions
 * GovCloud's, every other one the commercial partition's.
 *
 * @public
 */
export function partitionOfRegion(region: string): ArnPartition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * An ARN's fields, or undefined when the text is not an ARN of one of the
 * partitions above.
 *
 * @public
 */
export function parseArn(text: string): Arn | undefined {
  if (!validate(text)) return undefined;
  const arn = parse(text);
  if (!PARTITIONS.includes(arn.partition)) return undefined;
  return { ...arn, partition: arn.partition as ArnPartition };
}

/**
 * An ARN, in the partition of its region unless one is given (a global
 * service such as IAM has no region, so its callers name the partition, for
 * example `partitionOfRegion(platformRegion)`).
 *
 * @public
 */
export function buildArn(
  parts: Omit<Arn, 'partition'> & { partition?: ArnPartition },
): string {
  return build({
    ...parts,
    partition: parts.partition ?? partitionOfRegion(parts.region),
  });
}

/**
 * An IAM role's ARN, or an account's root principal's when `roleName` is
 * undefined, in the partition of `region` (the region the suite works in).
 *
 * @public
 */
export function iamArn(
  region: string,
  accountId: string,
  roleName?: string,
): string {
  return buildArn({
    partition: partitionOfRegion(region),
    service: 'iam',
    region: '',
    accountId,
    resource: roleName === undefined ? 'root' : `role/${roleName}`,
  });
}

/**
 * A SageMaker resource's ARN, such as `model-package-group/<name>`.
 *
 * @public
 */
export function sagemakerArn(
  region: string,
  accountId: string,
  resource: string,
): string {
  return buildArn({ service: 'sagemaker', region, accountId, resource });
}

/**
 * The fields of an ARN of `service` whose resource is `<type>/<id>`, with the
 * id (the rest after the first slash), or undefined for any other ARN.
 *
 * @public
 */
export function parseResourceArn(
  text: string,
  service: string,
  type: string,
): (Arn & { id: string }) | undefined {
  const arn = parseArn(text);
  if (arn?.service !== service || !arn.resource.startsWith(`${type}/`))
    return undefined;
  const id = arn.resource.slice(type.length + 1);
  return id ? { ...arn, id } : undefined;
}

/** SageMaker's resources live in a region of an account. */
const inRegionalAccount = (arn: Arn) =>
  arn.region !== '' && /^\d{12}$/.test(arn.accountId);

/**
 * A model package group's ARN's fields and the group's name, or undefined
 * for any other text.
 *
 * @public
 */
export function parseModelPackageGroupArn(
  text: string,
): (Arn & { group: string }) | undefined {
  const arn = parseResourceArn(text, 'sagemaker', 'model-package-group');
  return arn && inRegionalAccount(arn) && !arn.id.includes('/')
    ? { ...arn, group: arn.id }
    : undefined;
}

/**
 * A versioned model package's ARN's fields, its group's name and its version
 * (`model-package/<group>/<version>`), or undefined for any other text,
 * unversioned model packages included.
 *
 * @public
 */
export function parseModelPackageArn(
  text: string,
): (Arn & { group: string; version: number }) | undefined {
  const arn = parseResourceArn(text, 'sagemaker', 'model-package');
  const [group, version, ...rest] = arn?.id.split('/') ?? [];
  if (!arn || !inRegionalAccount(arn) || !group || rest.length)
    return undefined;
  if (!/^\d+$/.test(version ?? '')) return undefined;
  return { ...arn, group, version: Number(version) };
}

/**
 * The ARN of the model package group a versioned model package is in.
 *
 * @public
 */
export function modelPackageGroupArnOf(
  modelPackage: Arn & { group: string },
): string {
  return buildArn({
    ...modelPackage,
    resource: `model-package-group/${modelPackage.group}`,
  });
}
