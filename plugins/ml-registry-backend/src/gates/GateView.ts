import {
  AuditPage,
  MlAccount,
  PendingGate,
  VersionGates,
} from '@ml-governance/plugin-ml-registry-common';
import { AuditLog } from '../database/AuditLog';
import { EndpointStore } from '../database/EndpointStore';
import { GateDecisionStore } from '../database/GateDecisionStore';
import { PromotionStore } from '../database/PromotionStore';
import { ModelVersionRecord, VersionStore } from '../database/VersionStore';
import { AwsView, AwsViewCache } from './AwsViewCache';
import { GateLineage, lineageArns } from './gateLineage';
import { GatePolicy } from './gatePolicy';
import { decidedOutside, projectGates } from './projectGates';
import { statusSetBy } from './promotionTrigger';
import { registrantOf } from './separationOfDuties';

/** The newest audit entries `GET /gates` carries; `GET /audit` pages through all of them. */
const GATES_AUDIT_LIMIT = 50;

export interface GateViewDeps {
  platform: { region: string };
  versions: VersionStore;
  endpoints: EndpointStore;
  decisions: GateDecisionStore;
  promotions: PromotionStore;
  audit: AuditLog;
  policy: GatePolicy;
  views: AwsViewCache;
  lineage: (arn: string) => Promise<GateLineage>;
  account: (accountId: string) => MlAccount | undefined;
}

/** Reads what a version's gates are made of, and projects them. */
export class GateView {
  constructor(private readonly deps: GateViewDeps) {}

  async gates(arn: string): Promise<VersionGates> {
    const { dev, central } = await this.deps.lineage(arn);
    const lineage = lineageArns({ dev, central });
    const [audit, decisions, promotion, deployments] = await Promise.all([
      this.deps.audit.latest(lineage, GATES_AUDIT_LIMIT),
      this.deps.decisions.list(lineage),
      dev ? this.deps.promotions.get(dev.arn) : undefined,
      central
        ? this.deps.endpoints.listEndpoints({ groupOf: central.arn })
        : [],
    ]);
    const view = await this.awsView(central);
    // Who set a status decided outside Backstage, as SageMaker reported it.
    const setBy = async (
      v: ModelVersionRecord | undefined,
      gate: PendingGate,
    ) =>
      decidedOutside(v, gate, decisions)
        ? statusSetBy(this.deps.versions, v.arn)
        : undefined;
    return projectGates({
      dev,
      central,
      ...(dev ? { registrant: registrantOf(this.deps.policy, dev) } : {}),
      decisions,
      ...(promotion ? { promotion } : {}),
      deployments,
      setBy: {
        'dev-approval': await setBy(dev, 'dev-approval'),
        'central-approval': await setBy(central, 'central-approval'),
      },
      ...view,
      audit,
      stageOf: accountId => this.deps.account(accountId)?.stage,
      policy: this.deps.policy,
      region: this.deps.platform.region,
      now: new Date(),
    });
  }

  /** What AWS says of an approved central version's deployment, as last read. */
  private awsView(central: ModelVersionRecord | undefined): Promise<AwsView> {
    if (central?.approvalStatus !== 'Approved') return Promise.resolve({});
    return this.deps.views.view(central, this.deps.account(central.accountId)!);
  }

  async auditPage(
    arn: string,
    options: { limit: number; cursor?: string },
  ): Promise<AuditPage> {
    const lineage = lineageArns(await this.deps.lineage(arn));
    const page = await this.deps.audit.page(lineage, {
      limit: options.limit,
      ...(options.cursor ? { after: Number(options.cursor) } : {}),
    });
    return {
      items: page.items.map(({ id: _position, ...entry }) => ({
        ...entry,
        at: entry.at.toISOString(),
      })),
      ...(page.next !== undefined ? { nextCursor: String(page.next) } : {}),
    };
  }
}
