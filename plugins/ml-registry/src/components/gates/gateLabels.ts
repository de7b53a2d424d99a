import {
  ChecklistItem,
  DecisionGate,
  GateState,
  LifecycleGate,
} from '@ml-governance/plugin-ml-registry-common';

/** Each gate's name and who acts on it, as people say it. */
export const GATE_LABELS: Record<
  LifecycleGate,
  { title: string; who: string }
> = {
  'dev-approval': { title: 'Dev approval', who: 'lead data scientist' },
  promotion: { title: 'Promotion', who: 'automatic' },
  'central-approval': { title: 'Central approval', who: 'ML engineer' },
  'test-deploy': { title: 'Deploy to test', who: 'deploy pipeline' },
  'governance-approval': {
    title: 'Governance approval',
    who: 'governance officer',
  },
  'prod-deploy': { title: 'Deploy to prod', who: 'deploy pipeline' },
};

/** What each governance checklist item checks, as the officer reads it. */
export const CHECKLIST_LABELS: Record<ChecklistItem['id'], string> = {
  'model-card': 'Model card of this version, approved since it was written',
  metrics: 'Metric thresholds, from the evaluation report',
  'bias-report': 'Bias report, present and readable',
  'container-environment': "Containers' environment",
  'endpoint-access': 'Who can invoke the endpoint',
};

/** Checklist items shown for the officer's review: they inform, they do not hold or fail. */
export const REVIEW_ONLY_ITEMS = new Set<ChecklistItem['id']>([
  'container-environment',
]);

/** States in words: the cards never rely on colour alone. */
export const STATE_LABELS: Record<GateState['state'], string> = {
  waiting: 'Waiting',
  pending: 'Pending',
  approved: 'Approved',
  rejected: 'Rejected',
  failed: 'Failed',
  done: 'Done',
  stalled: 'Stalled',
  'not-started': 'Not started',
};

export const DECISION_GATES_SET = new Set<LifecycleGate>([
  'dev-approval',
  'central-approval',
  'governance-approval',
]);

export function isDecisionGate(gate: LifecycleGate): gate is DecisionGate {
  return DECISION_GATES_SET.has(gate);
}
