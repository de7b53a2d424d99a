import { DescribeModelCardCommand, DescribeModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { ChecklistItem } from '@ml-governance/plugin-ml-registry-common';
import { AwsClientFactory } from '@ml-governance/plugin-ml-registry-node';
import { ModelVersionRecord } from '../database/VersionStore';

/** What the governance officer must check before production, with the evidence. */
export async function governanceChecklist(
  deps: { clients: AwsClientFactory; thresholds: Record<string, number> },
  central: ModelVersionRecord,
  actor: string | undefined,
  accessReviewed?: boolean,
): Promise<ChecklistItem[]> {
  const sagemaker = await deps.clients.create(SageMakerClient, central.accountId);
  const card = await sagemaker.send(new DescribeModelCardCommand({ ModelCardName: central.groupName })).catch(() => undefined);
  const pkg = await sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: central.arn }));
  const thresholds = Object.entries(deps.thresholds);
  const misses = thresholds.filter(([metric, min]) => !(Number(central.metadata[metric]) >= min));
  const bias = pkg.ModelMetrics?.Bias?.Report?.S3Uri ?? pkg.ModelMetrics?.Bias?.PreTrainingReport?.S3Uri;
  return [
    {
      id: 'model-card',
      ok: card?.ModelCardStatus === 'Approved',
      evidence: card ? `model card ${card.ModelCardName} v${card.ModelCardVersion} is ${card.ModelCardStatus}` : 'no model card',
    },
    {
      id: 'metrics',
      ok: misses.length === 0,
      evidence: thresholds.length
        ? thresholds.map(([m, min]) => `${m} ${central.metadata[m] ?? 'missing'} (at least ${min})`).join(', ')
        : 'no thresholds configured',
    },
    { id: 'bias-report', ok: !!bias, evidence: bias ?? 'no bias report in the model metrics' },
    {
      id: 'endpoint-access',
      ok: !!accessReviewed,
      evidence: accessReviewed ? `reviewed by ${actor}` : 'the officer confirms who can invoke the endpoint',
    },
  ];
}
