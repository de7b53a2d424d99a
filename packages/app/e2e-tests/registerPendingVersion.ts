import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';

const FRAUD_DEV = '222222222222';

/**
 * Registers a pending version in `group` of the fraud team's dev registry
 * (the group made when missing; a test's own group keeps other tests'
 * decisions from racing it); answers its version.
 */
export async function registerPendingVersion(group: string): Promise<number> {
  const sagemaker = new SageMakerClient({
    endpoint: 'http://127.0.0.1:4566',
    region: 'us-east-1',
    credentials: { accessKeyId: FRAUD_DEV, secretAccessKey: 'sandbox' },
  });
  await sagemaker
    .send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: group }))
    .catch(e => {
      if (!/exist/i.test(e.message)) throw e;
    });
  const { ModelPackageArn } = await sagemaker.send(
    new CreateModelPackageCommand({
      ModelPackageGroupName: group,
      ModelApprovalStatus: 'PendingManualApproval',
      CustomerMetadataProperties: { auc: '0.94' },
    }),
  );
  return Number(ModelPackageArn!.split('/').pop());
}
