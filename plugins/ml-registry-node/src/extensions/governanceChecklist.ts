import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { ChecklistItem } from '@ml-governance/plugin-ml-registry-common';

/**
 * The central model version the governance officer decides, as the
 * checklist sees it.
 *
 * @public
 */
export interface GovernanceChecklistVersion {
  /** The central model package's ARN. */
  arn: string;
  accountId: string;
  /** The central model package group. */
  groupName: string;
  version: number;
  /** The dev model package it was promoted from, when known. */
  sourceArn?: string;
  /** The model package's customer metadata. */
  metadata: Record<string, string>;
}

/**
 * What a governance checklist is asked about one version.
 *
 * @public
 */
export interface GovernanceChecklistRequest {
  version: GovernanceChecklistVersion;
  /** The officer deciding, when the checklist is read for a decision. */
  actor?: string;
  /** Whether the officer confirmed who can invoke the endpoint. */
  accessReviewed: boolean;
  /**
   * The suite's own items for this version: model card, metrics, bias report,
   * container environment, endpoint access. Read from AWS when called.
   */
  defaultItems(): Promise<ChecklistItem[]>;
}

/**
 * What the governance officer must check before production. An approval
 * against an item that is not `ok` needs a written override, as the
 * backend's policy says (`mlRegistry.gates.governance.override*`).
 *
 * @public
 */
export interface GovernanceChecklist {
  /**
   * The items of one version, in the order the officer reads them. Each id is
   * lower-case letters, digits and dashes, unique in the list; `title` names
   * an item of your own on the gate card.
   */
  items(request: GovernanceChecklistRequest): Promise<ChecklistItem[]>;
}

/**
 * The suite's checklist, used when no module sets one.
 *
 * @public
 */
export const defaultGovernanceChecklist: GovernanceChecklist = {
  items: request => request.defaultItems(),
};

/**
 * Sets the governance checklist of the ML registry backend.
 *
 * @public
 */
export interface MlRegistryGovernanceChecklistExtensionPoint {
  /** Replaces the suite's checklist; set at most once. */
  setGovernanceChecklist(checklist: GovernanceChecklist): void;
}

/**
 * Where a backend module sets the governance checklist's items.
 *
 * @public
 */
export const mlRegistryGovernanceChecklistExtensionPoint =
  createExtensionPoint<MlRegistryGovernanceChecklistExtensionPoint>({
    id: 'ml-registry.governance-checklist',
  });
