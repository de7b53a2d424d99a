import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Trigger or cancel the ML registry's scheduled tasks (the sync of every
 * account and the promotions' safety net) through Backstage's scheduler routes
 * under the plugin (`/.backstage/scheduler/v1/tasks/:id/trigger` and `cancel`).
 * Each run spends every account's AWS request budget, so it is an operator's
 * permission; service principals need none.
 *
 * @public
 */
export const mlRegistrySchedulerPermission = createPermission({
  name: 'ml-registry.scheduler.manage',
  attributes: { action: 'update' },
});
