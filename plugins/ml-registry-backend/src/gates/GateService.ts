import {
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuditPage,
  DecisionGate,
  DeployRetry,
  MlPlatformConfig,
  VersionComparison,
  VersionGates,
} from '@ml-governance/plugin-ml-registry-common';
import { AwsClientFactory } from '@ml-governance/plugin-ml-registry-node';
import { AuditLog } from '../database/AuditLog';
import { EndpointStore } from '../database/EndpointStore';
import { GateDecisionStore } from '../database/GateDecisionStore';
import { PromotionStore } from '../database/PromotionStore';
import { VersionStore } from '../database/VersionStore';
import { AccountSync } from '../sync/AccountSync';
import { AwsViewCache } from './AwsViewCache';
import { DecisionRequest } from './decisionContext';
import { ModelSignals } from '../signals/ModelSignals';
import { GateDecider } from './GateDecider';
import { GateNotifier } from './GateNotifier';
import { gateLineage } from './gateLineage';
import { GatePolicy } from './gatePolicy';
import { GateRetries } from './GateRetries';
import { GateView } from './GateView';
import { checklistOf } from './governanceChecklist';
import { GovernanceDecisionDeps } from './governanceDecision';
import { readPipelineApproval } from './pipelineApproval';
import { Promotion } from './Promotion';
import { readComparison } from './readComparison';

export type { DecisionRequest } from './decisionContext';

export interface GateServiceDeps {
  clients: AwsClientFactory;
  platform: MlPlatformConfig;
  permissions: PermissionsService;
  versions: VersionStore;
  endpoints: EndpointStore;
  decisions: GateDecisionStore;
  promotions: PromotionStore;
  audit: AuditLog;
  promotion: Promotion;
  sync: AccountSync;
  logger: LoggerService;
  policy: GatePolicy;
  /** Tells the open pages of a model that it changed. */
  modelSignals?: ModelSignals;
  /** Tells the approvers who took a governance decision (the sync tells of registry decisions). */
  notifier?: GateNotifier;
}

/**
 * The approval gates a model version passes on its way to production. AWS is
 * the source of truth: views project the gates from what AWS and the
 * database hold, every decision re-reads the state from AWS first, acts
 * there, and is recorded in the audit log with who, when, why and how it
 * ended.
 */
export class GateService {
  private readonly view: GateView;
  private readonly decider: GateDecider;
  private readonly retries: GateRetries;
  private readonly signals?: ModelSignals;
  private readonly notifyGovernanceDecided: (
    request: DecisionRequest,
  ) => Promise<void>;

  constructor(private readonly deps: GateServiceDeps) {
    this.signals = deps.modelSignals;
    const { clients, policy, platform } = deps;
    const account = (accountId: string) =>
      platform.accounts.find(a => a.accountId === accountId);
    const lineage = (arn: string) => gateLineage(deps, arn);
    const readApproval: GovernanceDecisionDeps['readApproval'] = central =>
      readPipelineApproval(deps, central);
    const checklist: GovernanceDecisionDeps['checklist'] = (
      central,
      actor,
      accessReviewed,
    ) =>
      checklistOf(
        policy.checklist,
        { clients, thresholds: policy.thresholds },
        central,
        actor,
        accessReviewed,
      );
    const views = new AwsViewCache(async central => {
      const approval = await readApproval(central);
      return approval?.status === 'InProgress'
        ? { approval, checklist: await checklist(central, undefined) }
        : { approval };
    });
    this.view = new GateView({ ...deps, account, lineage, views });
    this.decider = new GateDecider({
      ...deps,
      account,
      lineage,
      readApproval,
      checklist,
      decided: arn => views.forget(arn),
    });
    this.notifyGovernanceDecided = async ({ arn, credentials, reason }) => {
      const central = await deps.versions.getVersion(arn);
      if (!central || !deps.notifier) return;
      await deps.notifier.governanceDecided(
        central,
        await readApproval(central),
        {
          actor: credentials.principal.userEntityRef,
          reason,
        },
      );
    };
    this.retries = new GateRetries({
      ...deps,
      lineage,
      readApproval,
      retried: arn => views.forget(arn),
    });
  }

  /** The version's six gates, its governance checklist when it waits there, and its newest audit entries. */
  gates(arn: string): Promise<VersionGates> {
    return this.view.gates(arn);
  }

  /** What changed, for the approver of a decision gate of `arn`, read from AWS. */
  comparison(arn: string, gate: DecisionGate): Promise<VersionComparison> {
    return readComparison(this.deps, arn, gate);
  }

  /** A page of the audit trail of the lineage of `arn`, oldest first. */
  auditPage(
    arn: string,
    options: { limit: number; cursor?: string },
  ): Promise<AuditPage> {
    return this.view.auditPage(arn, options);
  }

  /** Decides a gate of a version; answers the version's gates as they stand after it. */
  async decide(request: DecisionRequest): Promise<VersionGates> {
    await this.decider.decide(request);
    if (request.gate === 'governance-approval')
      await this.notifyGovernanceDecided(request);
    const gates = await this.gates(request.arn);
    await this.signals?.changed('decision', [
      request.arn,
      gates.devArn,
      gates.centralArn,
    ]);
    return gates;
  }

  /** Retries a failed promotion (`arn` a dev version) or a deployment that failed, stalled or never started (`arn` a central version). */
  async retry(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    arn: string,
    retry?: DeployRetry,
  ): Promise<VersionGates> {
    const gates = await this.gates(
      await this.retries.retry(credentials, arn, retry),
    );
    await this.signals?.changed(retry ? 'deploy' : 'promotion', [
      arn,
      gates.devArn,
      gates.centralArn,
    ]);
    return gates;
  }
}
