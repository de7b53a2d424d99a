import { UserContext } from '@aws-sdk/client-sagemaker';

/**
 * The AWS identity SageMaker reports as having created or changed a resource:
 * the IAM principal's ARN, or, for a SageMaker Studio user, the user
 * profile's ARN (or name, when only that is given). Filled by SageMaker from
 * the caller, so the registrant cannot write it
 * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UserContext.html).
 */
export function awsIdentity(
  context: UserContext | undefined,
): string | undefined {
  return (
    context?.IamIdentity?.Arn ??
    context?.UserProfileArn ??
    context?.UserProfileName
  );
}
