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
import { DecisionRequest } from './decisionContext';
import { ModelSignals } from '../signals/ModelSignals';
import { GateDecider } from './GateDecider';
import { GateNotifier } from './GateNotifier';
import { GatePolicy } from './gatePolicy';
import { GateReaders, gateReaders } from './gateReaders';
import { GateRetries } from './GateRetries';
import { GateView } from './GateView';
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
  private readonly readers: GateReaders;

  constructor(private readonly deps: GateServiceDeps) {
    this.signals = deps.modelSignals;
    this.readers = gateReaders(deps);
    const { views } = this.readers;
    this.view = new GateView({ ...deps, ...this.readers });
    this.decider = new GateDecider({
      ...deps,
      ...this.readers,
      decided: arn => views.forget(arn),
    });
    this.retries = new GateRetries({
      ...deps,
      ...this.readers,
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

  /** Tells the approvers who took a governance decision (the sync tells of registry decisions). */
  private async notifyGovernanceDecided({
    arn,
    credentials,
    reason,
  }: DecisionRequest): Promise<void> {
    const central = await this.deps.versions.getVersion(arn);
    if (!central || !this.deps.notifier) return;
    await this.deps.notifier.governanceDecided(
      central,
      await this.readers.readApproval(central),
      { actor: credentials.principal.userEntityRef, reason },
    );
  }
}
