import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mlRegistrySchedulerPermission } from '@ml-governance/plugin-ml-registry-common';
import { exampleOrgUserInfoFactory, until } from '@ml-governance/test-utils';
import request from 'supertest';
import { onBehalfOfAuth } from '../__testUtils__/onBehalfOfAuth';
import { policyModule } from '../__testUtils__/policyModule';
import { guardedSchedulerServiceFactory } from './schedulerRoutesGuard';

const ADMINS = 'group:default/platform-engineers';

/** The test's own policy: the scheduler permission for the admin group, everything else allowed. */
const testPolicy = policyModule({
  async handle(req, user) {
    if (req.permission.name !== mlRegistrySchedulerPermission.name)
      return { result: AuthorizeResult.ALLOW };
    return {
      result: user?.info.ownershipEntityRefs.includes(ADMINS)
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
    };
  },
});

describe("the scheduler's task routes under the plugin", () => {
  let runs = 0;
  let server: any;
  const probe = createBackendPlugin({
    pluginId: 'ml-registry',
    register(env) {
      env.registerInit({
        deps: { scheduler: coreServices.scheduler },
        async init({ scheduler }) {
          await scheduler.scheduleTask({
            id: 'ml-registry-sync',
            frequency: { hours: 1 },
            timeout: { minutes: 1 },
            initialDelay: { hours: 1 },
            scope: 'local',
            fn: async () => {
              runs += 1;
            },
          });
        },
      });
    },
  });

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        probe,
        guardedSchedulerServiceFactory,
        permissionPlugin,
        testPolicy,
        permissionsServiceFactory,
        ...onBehalfOfAuth,
        exampleOrgUserInfoFactory(),
        mockServices.rootConfig.factory({
          data: { permission: { enabled: true } },
        }),
      ],
    }));
  });

  const control = (action: string, authorization: string) =>
    request(server)
      .post(
        `/api/ml-registry/.backstage/scheduler/v1/tasks/ml-registry-sync/${action}`,
      )
      .set('authorization', authorization);

  it('refuses a data scientist and a lead (403), and runs nothing', async () => {
    for (const user of ['dana.scientist', 'leo.lead']) {
      const header = mockCredentials.user.header(`user:default/${user}`);
      for (const action of ['trigger', 'cancel']) {
        const refused = await control(action, header);
        expect(refused.status).toBe(403);
        expect(refused.body.error).toEqual({
          name: 'NotAllowedError',
          message: 'ml-registry.scheduler.manage is not allowed for this user',
        });
      }
    }
    await new Promise(r => setTimeout(r, 500));
    expect(runs).toBe(0);
  });

  it('lets an admin granted the permission, and service principals, trigger the task', async () => {
    const admin = mockCredentials.user.header('user:default/priya.platform');
    expect((await control('trigger', admin)).status).toBe(200);
    await until('the admin-triggered run', async () => runs === 1, 10_000);
    expect(
      (await control('trigger', mockCredentials.service.header())).status,
    ).toBe(200);
    await until('the service-triggered run', async () => runs === 2, 10_000);
  });

  it('still lists the tasks to any signed-in user', async () => {
    const listed = await request(server)
      .get('/api/ml-registry/.backstage/scheduler/v1/tasks')
      .set(
        'authorization',
        mockCredentials.user.header('user:default/dana.scientist'),
      );
    expect(listed.status).toBe(200);
    expect(listed.body.tasks.map((t: { taskId: string }) => t.taskId)).toEqual([
      'ml-registry-sync',
    ]);
  });
});
