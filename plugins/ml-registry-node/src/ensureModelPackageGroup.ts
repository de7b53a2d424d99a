import {
  CreateModelPackageGroupCommand,
  DescribeModelPackageGroupCommand,
  PutModelPackageGroupPolicyCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';

/** @public */
export interface ModelPackageGroupSpec {
  name: string;
  description?: string;
  /** The account the group lives in (the client's). */
  accountId: string;
  region: string;
  /** Accounts allowed to read the group's packages (deployment accounts, shared services). */
  readerAccountIds: string[];
  tags?: { Key: string; Value: string }[];
}

/**
 * Creates a model package group with a resource policy letting `readerAccountIds`
 * read its packages, or finds it when it exists: a re-run changes nothing.
 * Shared by promotion (the central group) and the scaffolder action.
 *
 * @public
 */
export async function ensureModelPackageGroup(
  sagemaker: SageMakerClient,
  spec: ModelPackageGroupSpec,
): Promise<{ arn: string; created: boolean }> {
  try {
    const existing = await sagemaker.send(
      new DescribeModelPackageGroupCommand({
        ModelPackageGroupName: spec.name,
      }),
    );
    return { arn: existing.ModelPackageGroupArn!, created: false };
  } catch (e: any) {
    if (!/does not exist/i.test(String(e?.message))) throw e;
  }
  const { ModelPackageGroupArn } = await sagemaker.send(
    new CreateModelPackageGroupCommand({
      ModelPackageGroupName: spec.name,
      ModelPackageGroupDescription: spec.description,
      ...(spec.tags?.length ? { Tags: spec.tags } : {}),
    }),
  );
  if (spec.readerAccountIds.length) {
    const arn = `arn:aws:sagemaker:${spec.region}:${spec.accountId}:model-package`;
    await sagemaker.send(
      new PutModelPackageGroupPolicyCommand({
        ModelPackageGroupName: spec.name,
        ResourcePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'CrossAccountRead',
              Effect: 'Allow',
              Principal: {
                AWS: spec.readerAccountIds.map(id => `arn:aws:iam::${id}:root`),
              },
              Action: [
                'sagemaker:DescribeModelPackage',
                'sagemaker:DescribeModelPackageGroup',
                'sagemaker:ListModelPackages',
              ],
              Resource: [`${arn}-group/${spec.name}`, `${arn}/${spec.name}/*`],
            },
          ],
        }),
      }),
    );
  }
  return { arn: ModelPackageGroupArn!, created: true };
}
