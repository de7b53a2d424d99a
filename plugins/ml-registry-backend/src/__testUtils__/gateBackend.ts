import { Server } from 'node:http';
import path from 'node:path';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { BackendFeature, ServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import eventsModuleAwsSqs from '@backstage/plugin-events-backend-module-aws-sqs';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import { JsonObject } from '@backstage/types';
import { Sandbox, SANDBOX_ML_ACCOUNTS } from '@ml-governance/aws-sandbox';
import permissionModuleMlGovernance from '@ml-governance/plugin-permission-backend-module-ml-governance';
import { exampleOrgUserInfoFactory, until } from '@ml-governance/test-utils';
import request from 'supertest';
import { mlRegistryPlugin } from '../plugin';
import { onBehalfOfAuth } from './onBehalfOfAuth';
import { policyModule } from './policyModule';
import { sandboxRegistryConfig } from './sandboxClients';

/** The default scenario's accounts but its governance account, the shared services one named `ml-shared`. */
export const GATE_TEST_ACCOUNTS = [
  { ...SANDBOX_ML_ACCOUNTS.shared, name: 'ml-shared' },
  SANDBOX_ML_ACCOUNTS.fraud,
  SANDBOX_ML_ACCOUNTS.churn,
  SANDBOX_ML_ACCOUNTS.test,
  SANDBOX_ML_ACCOUNTS.prod,
];

export interface GateBackendOptions {
  sandbox: Sandbox;
  /** `mlRegistry.gates`. */
  gates?: JsonObject;
  /** Whether it reads the sandbox's SQS queue, the production events path (one backend at a time may). */
  events?: boolean;
  /** The example organisation in a catalog (approver groups, notification recipients), waited for. */
  catalog?: boolean;
  notifications?: boolean;
  /** The users' memberships; the example organisation's by default. */
  userInfo?: ServiceFactory;
  /** The permission policy, an organisation's own; the ML governance policy by default. */
  policy?: PermissionPolicy;
  /** More features, such as an organisation's module of the ML registry. */
  features?: BackendFeature[];
}

/**
 * The `events` config of one backend reading the ml-registry topic from a
 * sandbox SQS queue, in process, polling briskly for tests.
 */
export function sqsEventsConfig(sandbox: Sandbox, queueUrl: string) {
  return {
    useEventBus: 'never',
    modules: {
      awsSqs: {
        awsSqsConsumingEventPublisher: {
          topics: {
            'ml-registry': {
              queue: {
                url: queueUrl,
                region: 'us-east-1',
                endpoint: sandbox.url,
                waitTime: { seconds: 1 },
              },
              waitTimeAfterEmptyReceive: { milliseconds: 100 },
            },
          },
        },
      },
    },
  };
}

/** The configuration of the gate tests' backend: the sandbox for AWS and its SQS queue for events. */
export function gateBackendConfig(
  sandbox: Sandbox,
  gates?: JsonObject,
): JsonObject {
  return {
    app: { baseUrl: 'http://localhost:3000' },
    catalog: {
      rules: [{ allow: ['User', 'Group', 'Location'] }],
      locations: [
        {
          type: 'file',
          target: path.resolve(__dirname, '../../../../examples/org.yaml'),
        },
      ],
    },
    permission: { enabled: true },
    events: sqsEventsConfig(
      sandbox,
      `${sandbox.url}/999999999999/ml-registry-events`,
    ),
    ...sandboxRegistryConfig(sandbox, {
      maxAttempts: 2,
      // The schedule syncs once at start; after that only events move things.
      schedule: {
        frequency: { hours: 1 },
        timeout: { minutes: 1 },
        initialDelay: { seconds: 0 },
      },
      ...(gates ? { gates } : {}),
      accounts: GATE_TEST_ACCOUNTS,
    }),
  };
}

/** Waits until the catalog has read the example organisation, memberships included. */
async function untilExampleOrganisation(server: Server): Promise<void> {
  await until(
    'the example organisation in the catalog',
    async () => {
      const group = await request(server)
        .get('/api/catalog/entities/by-name/group/default/ml-engineers')
        .set('authorization', mockCredentials.service.header());
      return group.body.relations?.some(
        (r: { type: string }) => r.type === 'hasMember',
      );
    },
    30_000,
  );
}

/**
 * The ML registry backend as the gate tests run it: the real permission
 * backend with the ML governance policy (or the one given), the scheduler (one sync at start,
 * then only events) and, as asked, the SQS events path, a catalog with the
 * example organisation and notifications, against the sandbox.
 */
export async function startGateBackend(options: GateBackendOptions) {
  const {
    sandbox,
    events = true,
    catalog = false,
    notifications = false,
  } = options;
  const { server } = await startTestBackend({
    features: [
      mlRegistryPlugin,
      permissionPlugin,
      options.policy
        ? policyModule(options.policy)
        : permissionModuleMlGovernance,
      permissionsServiceFactory,
      ...onBehalfOfAuth,
      options.userInfo ?? exampleOrgUserInfoFactory(),
      schedulerServiceFactory,
      eventsServiceFactory,
      ...(events ? [eventsModuleAwsSqs] : []),
      ...(catalog ? [catalogPlugin] : []),
      ...(notifications ? [notificationsPlugin] : []),
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: gateBackendConfig(sandbox, options.gates),
      }),
    ],
  });
  if (catalog) await untilExampleOrganisation(server);
  return server;
}
