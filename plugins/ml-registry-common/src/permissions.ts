import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read the ML registry: models, versions, accounts and their sync status.
 *
 * @public
 */
export const mlRegistryReadPermission = createPermission({
  name: 'ml-registry.read',
  attributes: { action: 'read' },
});

/**
 * The lead data scientist's gate: approve or reject a version in a dev registry.
 *
 * @public
 */
export const mlDevApprovalPermission = createPermission({
  name: 'ml-registry.gate.dev-approval',
  attributes: { action: 'update' },
});

/**
 * The ML engineer's gate: approve or reject a version in the central registry.
 *
 * @public
 */
export const mlCentralApprovalPermission = createPermission({
  name: 'ml-registry.gate.central-approval',
  attributes: { action: 'update' },
});

/**
 * The governance officer's gate: the manual approval before production.
 *
 * @public
 */
export const mlGovernanceApprovalPermission = createPermission({
  name: 'ml-registry.gate.governance-approval',
  attributes: { action: 'update' },
});

/**
 * Every permission of the ML registry, for registration with the permission framework.
 *
 * @public
 */
export const mlRegistryPermissions = [
  mlRegistryReadPermission,
  mlDevApprovalPermission,
  mlCentralApprovalPermission,
  mlGovernanceApprovalPermission,
];
