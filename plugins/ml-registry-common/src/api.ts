import { components, operations, paths } from './schema/openapi.generated';

/**
 * The REST API's types, generated from plugin-ml-registry-backend's
 * `src/schema/openapi.yaml` into `schema/openapi.generated.ts`; the names below
 * are the ones the plugins import. Nothing here is written by hand but the
 * lists of enum values, which fail to compile when the document changes them.
 */
type Schemas = components['schemas'];

/**
 * The paths and operations of the REST API, as openapi-typescript writes them.
 *
 * @public
 */
export type MlRegistryPaths = paths;

/** @public */
export type MlRegistryOperations = operations;

/** @public */
export type AccountStatus = Schemas['AccountStatus'];
/** @public */
export type AccountsResponse = Schemas['AccountsResponse'];
/** @public */
export type ModelSummary = Schemas['ModelSummary'];
/** @public */
export type ModelsResponse = Schemas['ModelsResponse'];
/** @public */
export type ModelVersion = Schemas['ModelVersion'];
/** @public */
export type VersionsPage = Schemas['VersionsPage'];
/** @public */
export type ApprovalEvent = Schemas['ApprovalEvent'];
/** @public */
export type ModelCardSummary = Schemas['ModelCardSummary'];
/** @public */
export type Deployment = Schemas['Deployment'];
/** @public */
export type LineageNodeKind = Schemas['LineageNodeKind'];
/** @public */
export type LineageNode = Schemas['LineageNode'];
/** @public */
export type Lineage = Schemas['Lineage'];
/** @public */
export type VersionDetails = Schemas['VersionDetails'];
/** @public */
export type PendingGate = Schemas['PendingGate'];
/** @public */
export type LifecycleGate = Schemas['LifecycleGate'];
/** @public */
export type DecisionGate = Schemas['DecisionGate'];
/** @public */
export type GateState = Schemas['GateState'];
/** @public */
export type StageRun = Schemas['StageRun'];
/** @public */
export type VersionFacts = Schemas['VersionFacts'];
/** @public */
export type MetricComparison = Schemas['MetricComparison'];
/** @public */
export type VersionComparison = Schemas['VersionComparison'];
/** @public */
export type DeployRetry = Schemas['DeployRetry'];
/** @public */
export type DeployTrouble = Schemas['DeployTrouble'];
/** @public */
export type GateRetryRequest = Schemas['GateRetryRequest'];
/** @public */
export type ChecklistItem = Schemas['ChecklistItem'];
/** @public */
export type AuditEntry = Schemas['AuditEntry'];
/** @public */
export type AwsFault = Schemas['AwsFault'];
/** @public */
export type Staleness = Schemas['Staleness'];
/** @public */
export type VersionGates = Schemas['VersionGates'];
/** @public */
export type AuditPage = Schemas['AuditPage'];
/** @public */
export type GateDecisionRequest = Schemas['GateDecisionRequest'];
/**
 * The body of every refusal: Backstage's ErrorResponseBody, as the document describes it.
 *
 * @public
 */
export type ApiErrorBody = Schemas['Error'];
/** @public */
export type ModelsFilter = NonNullable<
  operations['ListModels']['parameters']['query']
>;
/** @public */
export type VersionsQuery = NonNullable<
  operations['ListVersions']['parameters']['query']
>;

/** A list holding every member of the union T, checked when compiled. */
const everyOf =
  <T extends string>() =>
  <const L extends readonly T[]>(
    list: L & ([T] extends [L[number]] ? unknown : never),
  ): L =>
    list;

/**
 * The approval gates a version waits at.
 *
 * @public
 */
export const PENDING_GATES = everyOf<PendingGate>()([
  'dev-approval',
  'central-approval',
]);

/**
 * The stages a model version passes from its dev registry to production.
 *
 * @public
 */
export const LIFECYCLE_GATES = everyOf<LifecycleGate>()([
  'dev-approval',
  'promotion',
  'central-approval',
  'test-deploy',
  'governance-approval',
  'prod-deploy',
]);

/**
 * The gates people decide on.
 *
 * @public
 */
export const DECISION_GATES = everyOf<DecisionGate>()([
  'dev-approval',
  'central-approval',
  'governance-approval',
]);
