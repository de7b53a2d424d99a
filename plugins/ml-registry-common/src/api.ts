import { MlAccount } from './accounts';

/**
 * The sync state of one account, as served by `GET /accounts`.
 *
 * @public
 */
export interface AccountStatus extends MlAccount {
  /** When the account was last synced successfully, ISO 8601. */
  lastSyncAt?: string;
  /** The error of the last failed sync; the account's data is then stale. */
  lastError?: string;
  stale: boolean;
}

/** @public */
export interface AccountsResponse {
  items: AccountStatus[];
}

/**
 * One model package group of one account, as served by `GET /models`.
 *
 * @public
 */
export interface ModelSummary {
  /** The catalog entity of the model, e.g. resource:default/fraud-dev--fraud-detection. */
  entityRef: string;
  accountId: string;
  accountName: string;
  stage: string;
  groupName: string;
  arn: string;
  description?: string;
  versions: number;
  latestVersion?: number;
  /** Versions by approval status. */
  statusCounts: Record<string, number>;
  /** The owning group, as on the model's entity. */
  owner: string;
}

/** @public */
export interface ModelsResponse {
  items: ModelSummary[];
}

/**
 * One model package version, as served by the versions routes.
 *
 * @public
 */
export interface ModelVersion {
  arn: string;
  accountId: string;
  groupName: string;
  version: number;
  approvalStatus: string;
  approvalDescription?: string;
  createdBy?: string;
  createdAt: string;
  lastModifiedAt: string;
  metadata: Record<string, string>;
  /** The dev package a central version was promoted from. */
  sourceArn?: string;
  modelDataUrl?: string;
  /** The SageMaker project whose pipeline registered it. */
  projectId?: string;
  /** Where its training data came from: S3 prefix, Athena table, DataZone asset or feature group. */
  trainingData?: string;
  /** The pipeline execution that registered it. */
  generatedBy?: string;
}

/** @public */
export interface VersionsPage {
  items: ModelVersion[];
  totalCount: number;
  offset: number;
  limit: number;
}

/**
 * One approval state a version was seen in, oldest first.
 *
 * @public
 */
export interface ApprovalEvent {
  approvalStatus: string;
  approvalDescription?: string;
  changedBy?: string;
  changedAt: string;
}

/**
 * The latest version of a model's card in the central registry.
 *
 * @public
 */
export interface ModelCardSummary {
  arn: string;
  accountId: string;
  name: string;
  version: number;
  status: string;
  /** The card's JSON content. */
  content?: string;
  lastModifiedAt: string;
}

/**
 * An endpoint serving a version (or the central copy of a dev version).
 *
 * @public
 */
export interface Deployment {
  stage: string;
  accountId: string;
  accountName: string;
  endpointName: string;
  endpointArn: string;
  status: string;
  modelPackageArn: string;
}

/** @public */
export type LineageNodeKind =
  | 'data'
  | 'pipeline-run'
  | 'dev-package'
  | 'central-package'
  | 'endpoint';

/**
 * One step of a version's lineage, with where to look at it: its catalog
 * entity and/or its page in the AWS console.
 *
 * @public
 */
export interface LineageNode {
  id: string;
  kind: LineageNodeKind;
  label: string;
  /** Account, stage and state, in words. */
  detail?: string;
  entityRef?: string;
  consoleUrl?: string;
}

/**
 * A version's lineage as a graph, data first: training data, pipeline run,
 * dev package, central package, test and prod endpoints.
 *
 * @public
 */
export interface Lineage {
  nodes: LineageNode[];
  edges: { from: string; to: string }[];
}

/**
 * A version with its lineage: where it was promoted from and to, its approval
 * history, the model card and where it is deployed.
 *
 * @public
 */
export interface VersionDetails {
  version: ModelVersion;
  source?: ModelVersion;
  promotedTo: ModelVersion[];
  history: ApprovalEvent[];
  modelCard?: ModelCardSummary;
  deployments: Deployment[];
  lineage: Lineage;
}

/**
 * The approval gates a version waits at.
 *
 * @public
 */
export const PENDING_GATES = ['dev-approval', 'central-approval'] as const;

/** @public */
export type PendingGate = (typeof PENDING_GATES)[number];

/**
 * The stages a model version passes from its dev registry to production.
 *
 * @public
 */
export const LIFECYCLE_GATES = [
  'dev-approval',
  'promotion',
  'central-approval',
  'test-deploy',
  'governance-approval',
  'prod-deploy',
] as const;

/** @public */
export type LifecycleGate = (typeof LIFECYCLE_GATES)[number];

/**
 * The gates people decide on.
 *
 * @public
 */
export const DECISION_GATES = [
  'dev-approval',
  'central-approval',
  'governance-approval',
] as const;

/** @public */
export type DecisionGate = (typeof DECISION_GATES)[number];

/**
 * Where a version stands at one gate: derived from AWS (registry statuses,
 * pipeline state) and, for who and why, from the audit log.
 *
 * @public
 */
export interface GateState {
  gate: LifecycleGate;
  state:
    | 'waiting'
    | 'pending'
    | 'approved'
    | 'rejected'
    | 'failed'
    | 'done'
    | 'stalled'
    | 'not-started';
  actor?: string;
  at?: string;
  reason?: string;
  /**
   * Decided outside Backstage (AWS console, CLI): the AWS identity SageMaker
   * reports as having set the status and, for a dev approval, whether policy
   * (`mlRegistry.gates.externalApprovers`) promotes it.
   */
  external?: { identity?: string; promoted?: boolean };
  /** What the people at this gate must know, e.g. that nobody is known to have registered the version. */
  notice?: string;
  /** A test or prod deploy that failed, stalled or never started: what AWS says and what to check. */
  deploy?: DeployTrouble;
}

/**
 * How a failed or stalled deploy stage, or a deploy that never started, can be retried:
 * the failed stage's failed actions (CodePipeline `RetryStageExecution` with
 * `FAILED_ACTIONS`), or the whole pipeline again (`StartPipelineExecution`).
 *
 * @public
 */
export type DeployRetry = 'failed-actions' | 'pipeline';

/**
 * What a deploy gate that does not move shows: the deploy pipeline's execution as
 * AWS last reported it, how long it has been stuck and what to check.
 *
 * @public
 */
export interface DeployTrouble {
  pipelineName: string;
  executionId?: string;
  /** The stage and action that failed or does not progress. */
  stageName?: string;
  actionName?: string;
  /** The action's last status in AWS (InProgress, Failed, ...). */
  status?: string;
  /** When the action last changed status, or the version was approved for a deploy that never started. */
  since?: string;
  /** For how long, in seconds, the deploy has not moved. */
  stuckForSeconds?: number;
  summary?: string;
  errorDetails?: { code?: string; message?: string };
  /** The EventBridge rule that should have started the pipeline. */
  rule?: string;
  /** What an operator checks first. */
  check: string;
  consoleUrl: string;
  /** What an approver may retry now. */
  retries: DeployRetry[];
}

/**
 * The body of `POST /gates/retries`.
 *
 * @public
 */
export interface GateRetryRequest {
  /** The dev version (a failed promotion) or the central version (a deploy). */
  arn: string;
  /** For a deploy: what to retry. Default `pipeline`. */
  retry?: DeployRetry;
}

/**
 * One item of the governance checklist, with what shows it holds.
 *
 * @public
 */
export interface ChecklistItem {
  id:
    | 'model-card'
    | 'metrics'
    | 'bias-report'
    | 'container-environment'
    | 'endpoint-access';
  ok: boolean;
  evidence: string;
}

/**
 * One entry of the append-only audit log.
 *
 * @public
 */
export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  gate: string;
  arn: string;
  reason?: string;
  /** `external`: a decision seen in AWS, taken outside Backstage; `actor` is then the AWS identity. */
  result: 'ok' | 'failed' | 'denied' | 'conflict' | 'external';
  detail?: Record<string, unknown>;
}

/**
 * Why an account could not be reached: a class a person may be told, never
 * the AWS error's message.
 *
 * @public
 */
export type AwsFault =
  | 'throttling'
  | 'server-error'
  | 'network'
  | 'timeout'
  | 'expired-credentials'
  | 'access-denied';

/**
 * Set when AWS could not be reached for an answer, which then shows the state
 * last read from the account.
 *
 * @public
 */
export interface Staleness {
  /** When the state shown was last read from the account, ISO 8601. */
  since: string;
  /** The account that cannot be reached. */
  account: { accountId: string; name: string };
  reason: AwsFault;
}

/**
 * A version's gates, checklist and newest audit entries, as served by `GET /gates`.
 *
 * @public
 */
export interface VersionGates {
  /** The dev version and its central copy, when promoted. */
  devArn?: string;
  centralArn?: string;
  gates: GateState[];
  checklist?: ChecklistItem[];
  /** The newest entries of the lineage's audit trail (at most 50), oldest first; `GET /audit` pages all of them. */
  audit: AuditEntry[];
  /** Set when the pipeline's state comes from the last read, the account being unreachable now. */
  stale?: Staleness;
}

/**
 * One page of a version lineage's audit trail, oldest first, as served by `GET /audit`.
 *
 * @public
 */
export interface AuditPage {
  items: AuditEntry[];
  /** Pass as `cursor` for the next page; absent on the last. */
  nextCursor?: string;
}

/**
 * A decision at a gate, as `POST /gates/decisions` takes it.
 *
 * @public
 */
export interface GateDecisionRequest {
  arn: string;
  gate: DecisionGate;
  decision: 'approve' | 'reject';
  reason: string;
  /** Governance: the officer has reviewed who can invoke the endpoint. */
  accessReviewed?: boolean;
  /** Governance: approve although the checklist does not hold, for this written reason. */
  override?: string;
}
