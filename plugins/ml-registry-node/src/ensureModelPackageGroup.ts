import {
  CreateModelPackageGroupCommand,
  DescribeModelPackageGroupCommand,
  PutModelPackageGroupPolicyCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { iamArn, sagemakerArn } from '@ml-governance/plugin-ml-registry-common';
import { unlessAwsNotFound } from './awsErrors';

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
  const existing = await unlessAwsNotFound(
    sagemaker.send(
      new DescribeModelPackageGroupCommand({
        ModelPackageGroupName: spec.name,
      }),
    ),
  );
  if (existing) return { arn: existing.ModelPackageGroupArn!, created: false };
  const { ModelPackageGroupArn } = await sagemaker.send(
    new CreateModelPackageGroupCommand({
      ModelPackageGroupName: spec.name,
      ModelPackageGroupDescription: spec.description,
      ...(spec.tags?.length ? { Tags: spec.tags } : {}),
    }),
  );
  if (spec.readerAccountIds.length) {
    const arn = (resource: string) =>
      sagemakerArn(spec.region, spec.accountId, resource);
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
                AWS: spec.readerAccountIds.map(id => iamArn(spec.region, id)),
              },
              Action: [
                'sagemaker:DescribeModelPackage',
                'sagemaker:DescribeModelPackageGroup',
                'sagemaker:ListModelPackages',
              ],
              Resource: [
                arn(`model-package-group/${spec.name}`),
                arn(`model-package/${spec.name}/*`),
              ],
            },
          ],
        }),
      }),
    );
  }
  return { arn: ModelPackageGroupArn!, created: true };
}
