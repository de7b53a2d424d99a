import { createServer } from 'node:net';
import { discoveryServiceFactory } from '@backstage/backend-defaults/discovery';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  coreServices,
  createServiceFactory,
  LoggerService,
  RootLoggerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { JsonObject } from '@backstage/types';
import { Sandbox, startSandbox } from '@ml-governance/aws-sandbox';
import permissionModuleMlGovernance from '@ml-governance/plugin-permission-backend-module-ml-governance';
import { exampleOrgUserInfoFactory } from '@ml-governance/test-utils';
import request from 'supertest';
import { untilFirstSync } from '../__testUtils__/gateApi';
import { gateBackendConfig } from '../__testUtils__/gateBackend';
import { clearSandboxEnv, useSandboxEnv } from '../__testUtils__/sandboxEnv';
import { onBehalfOfAuth } from '../__testUtils__/onBehalfOfAuth';
import { mlRegistryPlugin } from '../plugin';
import { quietRequestLogRootHttpRouterServiceFactory } from './requestLog';

const DEV = '222222222222';
const DEV_V3 = `arn:aws:sagemaker:us-east-1:${DEV}:model-package/fraud-detection/3`;

interface Line {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  meta: Record<string, unknown>;
}

/** A root logger keeping every line, with the metadata its children add. */
function capturingLogger(
  lines: Line[],
  base: Record<string, unknown> = {},
): RootLoggerService {
  const at =
    (level: Line['level']) => (message: string, meta?: object | Error) =>
      lines.push({ level, message, meta: { ...base, ...(meta ?? {}) } });
  return {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    child: (meta: Record<string, unknown>): LoggerService =>
      capturingLogger(lines, { ...base, ...meta }),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, resolve));
  const { port } = server.address() as { port: number };
  await new Promise(resolve => server.close(resolve));
  return port;
}

/**
 * The log of a running portal: the app's root HTTP router (Backstage's, with
 * its request log at debug) and the registry, on the sandbox. Reads leave no
 * info line; a decision leaves one, naming model, version and user; a
 * refused one a warning naming them too.
 */
describe('the log of reads and decisions', () => {
  let sandbox: Sandbox;
  let url: string;
  const lines: Line[] = [];
  const as = (user: string) => ({
    authorization: mockCredentials.user.header(`user:default/${user}`),
  });
  const decide = (user: string) =>
    request(url).post('/api/ml-registry/gates/decisions').set(as(user)).send({
      arn: DEV_V3,
      gate: 'dev-approval',
      decision: 'approve',
      reason: 'AUC 0.93 on holdout',
    });
  /** The lines logged while `act` ran. */
  const during = async (act: () => Promise<void>) => {
    const from = lines.length;
    await act();
    return lines.slice(from);
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, stepMs: 20 });
    useSandboxEnv(sandbox);
    const port = await freePort();
    url = `http://localhost:${port}`;
    const config: JsonObject = {
      ...gateBackendConfig(sandbox, {
        identities: [
          {
            aws: `arn:aws:iam::${DEV}:root`,
            user: 'user:default/dana.scientist',
          },
        ],
      }),
      backend: { baseUrl: url, listen: { port } },
    };
    // startTestBackend hands back the server of its own root HTTP router,
    // which this backend replaces by the app's: the backend is up (and stopped
    // by startTestBackend's hooks), only that server is not there to hand back.
    const started = startTestBackend({
      features: [
        mlRegistryPlugin,
        permissionPlugin,
        permissionModuleMlGovernance,
        permissionsServiceFactory,
        ...onBehalfOfAuth,
        exampleOrgUserInfoFactory(),
        schedulerServiceFactory,
        eventsServiceFactory,
        quietRequestLogRootHttpRouterServiceFactory,
        discoveryServiceFactory,
        // Notifications have their own test (GateNotifier); here they are only sent.
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send: async () => {} }),
        }),
        createServiceFactory({
          service: coreServices.rootLogger,
          deps: {},
          factory: () => capturingLogger(lines),
        }),
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    await started.catch(e => {
      if (!/server is not available/.test(e?.message)) throw e;
    });
    await untilFirstSync(url);
  }, 60_000);

  afterAll(async () => {
    clearSandboxEnv();
    await sandbox.close();
  });

  it('logs reads at debug, a refusal once at warn and a decision once at info', async () => {
    const reads = await during(async () => {
      for (let i = 0; i < 10; i++) {
        for (const path of [
          '/api/ml-registry/accounts',
          `/api/ml-registry/gates?arn=${encodeURIComponent(DEV_V3)}`,
          `/api/ml-registry/versions/by-arn?arn=${encodeURIComponent(DEV_V3)}`,
        ]) {
          expect(
            (await request(url).get(path).set(as('leo.lead'))).status,
          ).toBe(200);
        }
      }
    });
    expect(reads.filter(l => l.level !== 'debug')).toEqual([]);
    // Backstage's request log still writes each read, at debug.
    expect(
      reads.filter(l => l.meta.type === 'incomingRequest').length,
    ).toBeGreaterThanOrEqual(30);

    const refused = await during(async () => {
      expect((await decide('dana.scientist')).status).toBe(403);
    });
    const refusals = refused.filter(l => l.level !== 'debug');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({
      level: 'warn',
      message: expect.stringMatching(
        /^Refused POST \/api\/ml-registry\/gates\/decisions on fraud-detection v3 \(account 222222222222\) for user:default\/dana\.scientist: 403 NotAllowedError: /,
      ),
    });

    const decided = await during(async () => {
      expect((await decide('leo.lead')).status).toBe(200);
    });
    expect(decided.filter(l => l.level !== 'debug')).toEqual([
      expect.objectContaining({
        level: 'info',
        message:
          'user:default/leo.lead approve dev-approval of fraud-detection v3 (account 222222222222): AUC 0.93 on holdout',
      }),
    ]);
  }, 60_000);
});
