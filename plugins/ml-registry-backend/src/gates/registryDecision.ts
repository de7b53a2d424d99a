import { ConflictError } from '@backstage/errors';
import {
  DescribeModelPackageCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { AwsClientFactory } from '@ml-governance/plugin-ml-registry-node';
import { GateDecisionStore } from '../database/GateDecisionStore';
import { PromotionStore } from '../database/PromotionStore';
import { awsIdentity } from '../sync/awsIdentity';
import { DecisionContext } from './decisionContext';

export interface RegistryDecisionDeps {
  clients: AwsClientFactory;
  decisions: GateDecisionStore;
  promotions: PromotionStore;
}

/** A registry decision to take in AWS, or a dev approval made outside Backstage that this one adopts. */
export interface RegistryCheck {
  approvedOutside?: { identity?: string };
}

/**
 * What a registry gate's decision needs, read afresh from SageMaker: the
 * version still pending, or (approving at the dev gate) approved outside
 * Backstage, never decided or promoted here, which the approver adopts.
 */
export async function checkRegistryDecision(
  deps: RegistryDecisionDeps,
  ctx: DecisionContext,
): Promise<RegistryCheck> {
  const { arn, gate, decision } = ctx.request;
  const sagemaker = await deps.clients.create(
    SageMakerClient,
    ctx.lineage.version.accountId,
  );
  const fresh = await sagemaker.send(
    new DescribeModelPackageCommand({ ModelPackageName: arn }),
  );
  const adoptable =
    fresh.ModelApprovalStatus === 'Approved' &&
    gate === 'dev-approval' &&
    decision === 'approve' &&
    !(await deps.decisions.get(arn, gate)) &&
    !(await deps.promotions.get(arn));
  if (adoptable) {
    const identity = awsIdentity(fresh.LastModifiedBy);
    return { approvedOutside: identity ? { identity } : {} };
  }
  if (fresh.ModelApprovalStatus !== 'PendingManualApproval') {
    await ctx.record('conflict', { status: fresh.ModelApprovalStatus });
    throw new ConflictError(
      `${arn} is already ${fresh.ModelApprovalStatus}${
        fresh.ApprovalDescription ? ` (${fresh.ApprovalDescription})` : ''
      }`,
    );
  }
  return {};
}
