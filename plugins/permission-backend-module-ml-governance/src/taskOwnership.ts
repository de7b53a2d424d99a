import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  RESOURCE_TYPE_SCAFFOLDER_TASK,
  taskCancelPermission,
  taskReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';

export const isTaskPermission = (request: PolicyQuery) =>
  isPermission(request.permission, taskReadPermission) ||
  isPermission(request.permission, taskCancelPermission);

/**
 * A scaffolder task (its parameters, log, output, and cancelling it) belongs
 * to whoever created it: the scaffolder's IS_TASK_OWNER rule, which it also
 * applies to its task list, so another user's tasks are neither listed nor readable.
 */
export function taskOwnerDecision(user: PolicyQueryUser): PolicyDecision {
  return {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'scaffolder',
    resourceType: RESOURCE_TYPE_SCAFFOLDER_TASK,
    conditions: {
      rule: 'IS_TASK_OWNER',
      resourceType: RESOURCE_TYPE_SCAFFOLDER_TASK,
      params: { createdBy: [user.info.userEntityRef] },
    },
  };
}
