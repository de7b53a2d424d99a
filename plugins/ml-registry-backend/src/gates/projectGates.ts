import {
  AccountStage,
  ChecklistItem,
  GateState,
  parseModelPackageArn,
  PendingGate,
  Staleness,
  VersionGates,
} from '@ml-governance/plugin-ml-registry-common';
import { AuditRecord } from '../database/AuditLog';
import { EndpointRecord } from '../database/EndpointStore';
import { GateDecision } from '../database/GateDecisionStore';
import { PromotionRecord } from '../database/PromotionStore';
import { ModelVersionRecord } from '../database/VersionStore';
import { deployTrouble, stagesOf } from './deployStatus';
import { GatePolicy, isExternalApprover } from './gatePolicy';
import { PipelineApproval } from './pipelineApproval';
import {
  firstApprovalOf,
  Registrant,
  unknownRegistrantNotice,
} from './separationOfDuties';

/** Everything a version's gates are made from, read beforehand from AWS and the database. */
export interface GateFacts {
  dev?: ModelVersionRecord;
  central?: ModelVersionRecord;
  registrant?: Registrant;
  /** The decisions taken through Backstage on the lineage. */
  decisions: GateDecision[];
  promotion?: PromotionRecord;
  /** The endpoints of the version's model, whatever version each runs (read from its config's model). */
  deployments: EndpointRecord[];
  /** The AWS identity that set each registry status decided outside Backstage. */
  setBy: Partial<Record<PendingGate, string>>;
  approval?: PipelineApproval;
  checklist?: ChecklistItem[];
  stale?: Staleness;
  audit: AuditRecord[];
  stageOf: (accountId: string) => AccountStage | undefined;
  policy: GatePolicy;
  region: string;
  now: Date;
}

const STATE_OF_STATUS: Record<string, GateState['state']> = {
  Approved: 'approved',
  Rejected: 'rejected',
};

/** Whether a status set outside Backstage needs its setter looked up: decided, but not by a decision taken here. */
export function decidedOutside(
  version: ModelVersionRecord | undefined,
  gate: PendingGate,
  decisions: GateDecision[],
): version is ModelVersionRecord {
  return (
    !!version &&
    !!STATE_OF_STATUS[version.approvalStatus] &&
    !decisions.some(d => d.arn === version.arn && d.gate === gate)
  );
}

const decidedBy = (decision: GateDecision) => ({
  actor: decision.actor,
  at: decision.decidedAt.toISOString(),
  reason: decision.reason,
});

/** A registry gate: who and why from the decision taken in Backstage, or from the registry (with the AWS identity) when taken outside it. */
function registryGate(
  facts: GateFacts,
  v: ModelVersionRecord | undefined,
  gate: PendingGate,
): GateState {
  if (!v) return { gate, state: 'waiting' };
  const { decisions, policy } = facts;
  const state = STATE_OF_STATUS[v.approvalStatus] ?? 'pending';
  if (state === 'pending') {
    const first = decisions.find(
      d => d.arn === v.arn && d.gate === firstApprovalOf(gate),
    );
    const notice = unknownRegistrantNotice(
      policy,
      gate,
      facts.registrant,
      first,
    );
    return { gate, state, ...notice };
  }
  const mine = decisions.find(d => d.arn === v.arn && d.gate === gate);
  if (mine) return { gate, state, ...decidedBy(mine) };
  const identity = facts.setBy[gate];
  const promoted =
    gate === 'dev-approval' && state === 'approved'
      ? { promoted: isExternalApprover(policy, identity) }
      : {};
  return {
    gate,
    state,
    ...(v.approvalDescription ? { reason: v.approvalDescription } : {}),
    at: v.lastModifiedAt.toISOString(),
    external: { ...(identity ? { identity } : {}), ...promoted },
  };
}

/** The endpoint of a stage that runs this central version. */
const deployedIn = (facts: GateFacts, stage: AccountStage) =>
  facts.deployments.find(
    e =>
      facts.stageOf(e.accountId) === stage &&
      !!facts.central &&
      e.modelPackageArn === facts.central.arn,
  );

/** What a stage's endpoints of the model run now, and the version its deploy is rolling out, if one is. */
function stageView(
  facts: GateFacts,
  stage: 'test' | 'prod',
): Pick<GateState, 'runs' | 'rollingOut'> {
  const runs = facts.deployments.flatMap(e => {
    const runsVersion =
      e.modelPackageArn && parseModelPackageArn(e.modelPackageArn);
    return facts.stageOf(e.accountId) === stage && runsVersion
      ? [
          {
            endpointName: e.name,
            accountId: e.accountId,
            status: e.status,
            modelPackageArn: e.modelPackageArn!,
            version: runsVersion.version,
          },
        ]
      : [];
  });
  const { approval } = facts;
  const deploying =
    approval?.deploys &&
    stagesOf(approval, stage).some(
      s => s.latestExecution?.status === 'InProgress',
    )
      ? parseModelPackageArn(approval.deploys)
      : undefined;
  const rolling =
    deploying && !runs.some(r => r.modelPackageArn === approval!.deploys)
      ? {
          rollingOut: {
            modelPackageArn: approval!.deploys!,
            version: deploying.version,
          },
        }
      : {};
  return { ...(runs.length ? { runs } : {}), ...rolling };
}

/**
 * A deploy gate. The stages before the manual approval (source, build, test
 * deploy, integration test) make the test deployment; those after it the
 * prod deployment, whatever the pipeline names them.
 */
function deployGate(
  facts: GateFacts,
  gate: 'test-deploy' | 'prod-deploy',
  stage: 'test' | 'prod',
  after: boolean,
): GateState {
  const seen = stageView(facts, stage);
  const endpoint = deployedIn(facts, stage);
  if (endpoint?.status === 'InService')
    return {
      gate,
      state: 'done',
      at: endpoint.lastModifiedAt.toISOString(),
      reason: `${endpoint.name} InService`,
      ...seen,
    };
  const trouble =
    facts.approval &&
    deployTrouble(facts.approval, stage, {
      watch: facts.policy.deploy,
      region: facts.region,
      now: facts.now,
    });
  if (trouble) return { gate, ...trouble, ...seen };
  return { gate, state: after ? 'pending' : 'waiting', ...seen };
}

const APPROVAL_STATE: Record<string, GateState['state']> = {
  Succeeded: 'approved',
  Failed: 'rejected',
};

/** The governance gate: the deploy pipeline's manual approval. */
function governanceGate(facts: GateFacts): GateState {
  const gate = 'governance-approval';
  const { approval, central } = facts;
  if (approval?.status === 'InProgress') return { gate, state: 'pending' };
  const decided = approval?.status && APPROVAL_STATE[approval.status];
  if (decided) {
    const mine =
      central &&
      facts.decisions.find(d => d.arn === central.arn && d.gate === gate);
    return {
      gate,
      state: decided,
      ...(mine ? decidedBy(mine) : { reason: approval.summary }),
    };
  }
  if (deployedIn(facts, 'prod')?.status === 'InService')
    return { gate, state: 'approved' };
  return { gate, state: 'waiting' };
}

/** Done once the promotion finished every step (or, promoted outside Backstage, once a central copy exists). */
function promotionGate(facts: GateFacts, devGate: GateState): GateState {
  const gate = 'promotion';
  const { promotion, central } = facts;
  if (devGate.external?.promoted === false && !promotion && !central)
    return {
      gate,
      state: 'waiting',
      notice:
        'Approved outside Backstage: not promoted. An approver of the dev gate adopts the approval here to promote it.',
    };
  if (promotion?.status === 'failed')
    return {
      gate,
      state: 'failed',
      reason: promotion.error,
      at: promotion.updatedAt.toISOString(),
    };
  if (central && promotion?.status !== 'running')
    return {
      gate,
      state: 'done',
      reason: `promoted to ${central.arn}`,
      ...(promotion ? { at: promotion.updatedAt.toISOString() } : {}),
    };
  return { gate, state: devGate.state === 'approved' ? 'pending' : 'waiting' };
}

/**
 * A version's six gates, projected from what AWS and the database hold about
 * its lineage; the governance checklist while the governance gate waits.
 */
export function projectGates(facts: GateFacts): VersionGates {
  const { dev, central, checklist, stale } = facts;
  const devGate = registryGate(facts, dev, 'dev-approval');
  const centralGate = registryGate(facts, central, 'central-approval');
  const testGate = deployGate(
    facts,
    'test-deploy',
    'test',
    centralGate.state === 'approved',
  );
  const governance = governanceGate(facts);
  const prodGate = deployGate(
    facts,
    'prod-deploy',
    'prod',
    governance.state === 'approved',
  );
  return {
    ...(dev ? { devArn: dev.arn } : {}),
    ...(central ? { centralArn: central.arn } : {}),
    gates: [
      devGate,
      promotionGate(facts, devGate),
      centralGate,
      testGate,
      governance,
      prodGate,
    ],
    ...(governance.state === 'pending' && checklist ? { checklist } : {}),
    audit: facts.audit.map(a => ({ ...a, at: a.at.toISOString() })),
    ...(stale ? { stale } : {}),
  };
}
