import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  LoggerService,
  RootLoggerService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { quietTokenFailuresLoggerServiceFactory } from './quietTokenFailures';

type Line = { level: string; message: string; meta?: unknown };

/** A root logger keeping every line, with its child's fields. */
function capturing(lines: Line[], fields: object = {}): RootLoggerService {
  const at =
    (level: string): LoggerService['warn'] =>
    (message, meta) =>
      lines.push({ level, message, meta: meta ?? fields });
  return {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    child: meta => capturing(lines, { ...fields, ...meta }),
  };
}

// A token whose header says Backstage user token, signed by nobody Backstage knows.
const forged = [
  { typ: 'vnd.backstage.user', alg: 'ES256', kid: 'forged' },
  { sub: 'user:default/mallory', iat: 1, exp: 4102444800 },
]
  .map(part => Buffer.from(JSON.stringify(part)).toString('base64url'))
  .concat('c2lnbmF0dXJl')
  .join('.');

describe('a flood of forged tokens', () => {
  it('logs one line without a stack per interval, with the real auth service', async () => {
    const lines: Line[] = [];
    const probe = createBackendPlugin({
      pluginId: 'ml-registry',
      register(env) {
        env.registerInit({
          deps: { httpRouter: coreServices.httpRouter },
          async init({ httpRouter }) {
            const router = express.Router();
            router.get('/accounts', (_req, res) => {
              res.json({ items: [] });
            });
            httpRouter.use(router);
          },
        });
      },
    });
    const { server } = await startTestBackend({
      features: [
        probe,
        authServiceFactory,
        httpAuthServiceFactory,
        quietTokenFailuresLoggerServiceFactory,
        createServiceFactory({
          service: coreServices.rootLogger,
          deps: {},
          factory: () => capturing(lines),
        }),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    for (let i = 0; i < 30; i++) {
      const refused = await request(server)
        .get('/api/ml-registry/accounts')
        .set('authorization', `Bearer ${forged}`);
      expect(refused.status).toBe(401);
    }
    const failures = lines.filter(l =>
      l.message.startsWith('Failed to verify incoming user token'),
    );
    expect(failures).toHaveLength(1);
    expect(failures[0].level).toBe('warn');
    expect(failures[0].message).not.toMatch(/\n|\s+at /);
    expect(JSON.stringify(failures[0].meta)).not.toMatch(/stack|\s+at /);
  }, 60_000);
});
