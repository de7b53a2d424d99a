import {
  ChecklistItem,
  GateState,
} from '@ml-governance/plugin-ml-registry-common';

export {
  GATE_LABELS,
  isDecisionGate,
} from '@ml-governance/plugin-ml-registry-common';

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
