import {
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  DECISION_GATE_TABLE,
  DecisionGate,
  DeployRetry,
  MlPlatformConfig,
} from '@ml-governance/plugin-ml-registry-common';
import { AwsClientFactory } from '@ml-governance/plugin-ml-registry-node';
import { AuditLog } from '../database/AuditLog';
import { PromotionStore } from '../database/PromotionStore';
import { ModelVersionRecord } from '../database/VersionStore';
import { retryDeploy } from './deployRetry';
import { mayDecide } from './GateDecider';
import { GateLineage } from './gateLineage';
import { GatePolicy } from './gatePolicy';
import { PipelineApproval } from './pipelineApproval';
import { Promotion } from './Promotion';

export interface GateRetriesDeps {
  clients: AwsClientFactory;
  platform: MlPlatformConfig;
  permissions: PermissionsService;
  promotions: PromotionStore;
  audit: AuditLog;
  promotion: Promotion;
  policy: GatePolicy;
  lineage: (arn: string) => Promise<GateLineage>;
  readApproval: (
    central: ModelVersionRecord,
  ) => Promise<PipelineApproval | undefined>;
  /** Called once a deploy was retried, so views read it afresh. */
  retried: (arn: string) => void;
}

/**
 * Retries what failed on a version's way: its promotion (a dev version) or
 * its deployment (a central version), by someone who may decide the
 * version's registry gate.
 */
export class GateRetries {
  constructor(private readonly deps: GateRetriesDeps) {}

  /** Retries, and returns the ARN whose gates show the outcome. */
  async retry(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    arn: string,
    retry?: DeployRetry,
  ): Promise<string> {
    const actor = credentials.principal.userEntityRef;
    const lineage = await this.deps.lineage(arn);
    const { version, dev } = lineage;
    const gate: DecisionGate = version.sourceArn
      ? 'central-approval'
      : 'dev-approval';
    if (!(await mayDecide(this.deps.permissions, credentials, gate, arn))) {
      throw new NotAllowedError(
        `${actor} may not retry: ${DECISION_GATE_TABLE[gate].permission.name} is not allowed for them`,
      );
    }
    if (version.sourceArn) await this.retryDeploy(actor, version, retry);
    else await this.retryPromotion(actor, lineage, retry);
    return dev?.arn ?? arn;
  }

  private async retryPromotion(
    actor: string,
    { version, central }: GateLineage,
    retry?: DeployRetry,
  ): Promise<void> {
    const { arn } = version;
    if (retry)
      throw new InputError(
        `retry: ${retry} retries a deployment; ${arn} is a dev version, whose promotion is retried without it`,
      );
    const promotion = await this.deps.promotions.get(arn);
    if (central || promotion?.status !== 'failed') {
      throw new ConflictError(
        `Only a failed promotion can be retried; ${arn} is ${
          central
            ? `promoted to ${central.arn}`
            : promotion?.status ?? 'not being promoted'
        }`,
      );
    }
    await this.deps.audit.append({
      actor,
      action: 'retry',
      gate: 'promotion',
      arn,
      result: 'ok',
    });
    await this.deps.promotion.promote(arn);
  }

  private async retryDeploy(
    actor: string,
    central: ModelVersionRecord,
    retry?: DeployRetry,
  ): Promise<void> {
    const { clients, audit, policy, platform } = this.deps;
    const run =
      central.approvalStatus === 'Approved'
        ? await this.deps.readApproval(central)
        : undefined;
    await retryDeploy(
      { clients, audit, watch: policy.deploy, region: platform.region },
      { actor, central, run, retry: retry ?? 'pipeline' },
    );
    this.deps.retried(central.arn);
  }
}
