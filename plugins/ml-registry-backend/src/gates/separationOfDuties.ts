import {
  DECISION_GATE_TABLE,
  DecisionGate,
  GateState,
} from '@ml-governance/plugin-ml-registry-common';
import { GateDecision } from '../database/GateDecisionStore';
import { ModelVersionRecord } from '../database/VersionStore';
import { GatePolicy, userOfIdentity } from './gatePolicy';

/** Who registered a version: the AWS identity SageMaker reports, and the Backstage user it maps to. */
export interface Registrant {
  identity?: string;
  user?: string;
}

const FIRST_APPROVAL = ':first-approval';

/** The claim of the first of two approvals, when the registrant is unknown and policy wants two approvers. */
export const firstApprovalOf = (gate: DecisionGate) =>
  `${gate}${FIRST_APPROVAL}`;

/** How a registrant SageMaker did not name is spoken of. */
export const registeredBy = (registrant: Registrant) =>
  registrant.identity ?? 'an identity SageMaker did not report';

/**
 * Who registered a version, from what SageMaker reports (`CreatedBy`), never
 * from metadata or tags the registrant writes; the user only through
 * `mlRegistry.gates.identities`.
 */
export function registrantOf(
  policy: GatePolicy,
  version: ModelVersionRecord,
): Registrant {
  const user = userOfIdentity(policy, version.createdBy);
  return {
    ...(version.createdBy ? { identity: version.createdBy } : {}),
    ...(user ? { user } : {}),
  };
}

/** Whether the registrant of a version at this gate is nobody Backstage knows, and policy cares. */
export function registrantUnknown(
  policy: GatePolicy,
  gate: DecisionGate,
  registrant: Registrant,
): boolean {
  return (
    policy.separationOfDuties &&
    !registrant.user &&
    DECISION_GATE_TABLE[gate].registry
  );
}

/**
 * Why `actor` may not approve this gate of a version, if they may not: they
 * registered it, policy refuses versions of unknown registrants, or they
 * approved another gate of the version (`decisions`: of its lineage).
 */
export function dutiesConflict(
  policy: GatePolicy,
  actor: string,
  registrant: Registrant,
  gate: DecisionGate,
  decisions: GateDecision[],
): string | undefined {
  if (registrant.user === actor)
    return `${actor} registered this version (as ${registrant.identity}) and may not approve it`;
  if (
    registrantUnknown(policy, gate, registrant) &&
    policy.unknownRegistrant === 'refuse'
  ) {
    return `this version was registered by ${registeredBy(
      registrant,
    )}, which no Backstage user is mapped to (mlRegistry.gates.identities), and policy refuses its approval (mlRegistry.gates.unknownRegistrant: refuse)`;
  }
  const other = decisions.find(
    d =>
      d.actor === actor && d.decision === 'approve' && !d.gate.startsWith(gate),
  );
  if (other)
    return `${actor} already approved ${other.gate.replace(
      FIRST_APPROVAL,
      '',
    )} of this version`;
  return undefined;
}

/** What approvers of a pending registry gate must know when nobody is known to have registered the version. */
export function unknownRegistrantNotice(
  policy: GatePolicy,
  gate: DecisionGate,
  registrant: Registrant | undefined,
  first: GateDecision | undefined,
): Pick<GateState, 'notice'> {
  if (!registrant || !registrantUnknown(policy, gate, registrant)) return {};
  const who = `Registered by ${registeredBy(
    registrant,
  )}, which no Backstage user is mapped to`;
  if (policy.unknownRegistrant === 'refuse')
    return { notice: `${who}: policy refuses its approval.` };
  return {
    notice: first
      ? `${who}: approved first by ${first.actor}; a second, different approver decides.`
      : `${who}: two different approvers must approve.`,
  };
}
