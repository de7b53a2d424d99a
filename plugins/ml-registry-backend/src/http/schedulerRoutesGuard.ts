import { DefaultSchedulerService } from '@backstage/backend-defaults/scheduler';
import {
  coreServices,
  createServiceFactory,
  HttpAuthService,
  HttpRouterService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mlRegistrySchedulerPermission } from '@ml-governance/plugin-ml-registry-common';
import express from 'express';
import Router from 'express-promise-router';

/** The routes of Backstage's scheduler that start or stop a task's run. */
const TASK_CONTROLS =
  '/.backstage/scheduler/v1/tasks/:id/:action(trigger|cancel)';

/**
 * Lets through a trigger or cancel of a scheduled task only from a service
 * principal or a user granted `ml-registry.scheduler.manage`; anyone else gets 403.
 */
export function schedulerRoutesGuard(deps: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}): express.Router {
  const router = Router();
  router.post(TASK_CONTROLS, async (req, _res, next) => {
    const credentials = await deps.httpAuth.credentials(req, {
      allow: ['service', 'user'],
    });
    if (credentials.principal.type === 'service') {
      next();
      return;
    }
    const [decision] = await deps.permissions.authorize(
      [{ permission: mlRegistrySchedulerPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${mlRegistrySchedulerPermission.name} is not allowed for this user`,
      );
    }
    next();
  });
  return router;
}

/**
 * Backstage's scheduler, with its routes under each plugin guarded by
 * schedulerRoutesGuard: without it any signed-in user could start the sync of
 * every account in a loop, or cancel it. It replaces the default scheduler
 * service (`backend.add(guardedSchedulerServiceFactory)`); the scheduler
 * itself is Backstage's DefaultSchedulerService, unchanged.
 *
 * @public
 */
export const guardedSchedulerServiceFactory = createServiceFactory({
  service: coreServices.scheduler,
  deps: {
    database: coreServices.database,
    logger: coreServices.logger,
    rootLifecycle: coreServices.rootLifecycle,
    httpRouter: coreServices.httpRouter,
    httpAuth: coreServices.httpAuth,
    permissions: coreServices.permissions,
    pluginMetadata: coreServices.pluginMetadata,
    metrics: metricsServiceRef,
  },
  factory({ httpRouter, httpAuth, permissions, ...deps }) {
    const guarded: HttpRouterService = {
      use(handler) {
        httpRouter.use(schedulerRoutesGuard({ httpAuth, permissions }));
        httpRouter.use(handler);
      },
      addAuthPolicy: policy => httpRouter.addAuthPolicy(policy),
    };
    return DefaultSchedulerService.create({ ...deps, httpRouter: guarded });
  },
});
