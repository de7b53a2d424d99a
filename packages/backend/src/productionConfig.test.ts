import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigSources } from '@backstage/config-loader';
import authPlugin from '@backstage/plugin-auth-backend';
import authModuleOidc from '@backstage/plugin-auth-backend-module-oidc-provider';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { awsAlbSignInModule } from './modules/awsAlbSignIn';
import { LOCAL_SIGN_IN_HEADER, localSignInModule } from './modules/localSignIn';
import mlRegistryPlugin from '@ml-governance/plugin-ml-registry-backend';

const ROOT = path.resolve(__dirname, '../../..');
const ENV: Record<string, string> = {
  APP_BASE_URL: 'https://backstage.example.com',
  BACKEND_SECRET: 'secret',
  AWS_REGION: 'us-east-1',
  POSTGRES_HOST: 'db',
  POSTGRES_PORT: '5432',
  POSTGRES_USER: 'backstage',
  POSTGRES_PASSWORD: 'pw',
  AUTH_OIDC_METADATA_URL:
    'https://idp.example.com/.well-known/openid-configuration',
  AUTH_OIDC_CLIENT_ID: 'backstage',
  AUTH_OIDC_CLIENT_SECRET: 'oidc-secret',
  AUTH_ALB_ISSUER: 'https://idp.example.com',
  AUTH_ALB_SIGNER:
    'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/backstage/50dc6c495c0c9188',
  ML_EVENTS_QUEUE_URL:
    'https://sqs.us-east-1.amazonaws.com/123456789012/ml-registry-events',
};

/** The config as the backend loads it from these files, in this order. */
async function load(...files: string[]) {
  const config = await ConfigSources.toConfig(
    ConfigSources.default({
      rootDir: ROOT,
      argv: files.flatMap(f => [
        '--config',
        path.isAbsolute(f) ? f : path.join(ROOT, f),
      ]),
      substitutionFunc: async name => ENV[name],
    }),
  );
  config.close();
  return config;
}

const PRODUCTION = ['app-config.yaml', 'app-config.production.yaml'];
const BEHIND_ALB = [...PRODUCTION, 'app-config.production-alb.yaml'];

describe('the production config', () => {
  it('has no pick-a-user sign-in, and signs in through OIDC, resolving users in the catalog by e-mail', async () => {
    const config = await load(...PRODUCTION);
    expect(config.getOptional('localSignIn')).toBeUndefined();
    expect(config.getString('auth.environment')).toBe('production');
    expect(config.getConfig('auth.providers').keys()).toEqual(['oidc']);
    expect(config.get('auth.providers.oidc.production')).toMatchObject({
      metadataUrl: ENV.AUTH_OIDC_METADATA_URL,
      clientId: 'backstage',
      signIn: {
        resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }],
      },
    });
    expect(config.getString('signIn.provider')).toBe('oidc');
  });

  it('behind an ALB, signs in through the ALB instead, with no pick-a-user sign-in either', async () => {
    const config = await load(...BEHIND_ALB);
    expect(config.getOptional('localSignIn')).toBeUndefined();
    expect(config.getConfig('auth.providers').keys()).toEqual(['awsalb']);
    expect(config.get('auth.providers.awsalb')).toMatchObject({
      issuer: ENV.AUTH_ALB_ISSUER,
      region: 'us-east-1',
      signer: ENV.AUTH_ALB_SIGNER,
      signIn: {
        resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }],
      },
    });
    expect(config.getString('signIn.provider')).toBe('awsalb');
  });

  it('the local config keeps the pick-a-user sign-in for development', async () => {
    const config = await load('app-config.yaml');
    expect(config.getString('auth.environment')).toBe('development');
    expect(config.getConfigArray('localSignIn.users').length).toBeGreaterThan(
      0,
    );
  });

  it('the real auth backend with it serves the ALB sign-in, refuses unsigned requests and has no local sign-in', async () => {
    const config = await load(...BEHIND_ALB);
    const { server } = await startTestBackend({
      features: [
        authPlugin,
        authModuleOidc,
        awsAlbSignInModule,
        localSignInModule,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            app: config.get('app'),
            auth: config.get('auth'),
            localSignIn: config.getOptional('localSignIn'),
          },
        }),
      ],
    });
    const local = await request(server)
      .get('/api/auth/local-sign-in/refresh')
      .set(LOCAL_SIGN_IN_HEADER, 'user:default/grace.governance');
    expect(local.status).toBe(404);
    // Without the ALB's signed header nobody is signed in.
    const alb = await request(server).get('/api/auth/awsalb/refresh');
    expect(alb.status).toBe(401);
  });
});

describe('a production backend', () => {
  /** What an operator writes for their own accounts and groups, loaded after the production files. */
  const OPERATOR = path.join(
    os.tmpdir(),
    `app-config.operator-${process.pid}.yaml`,
  );
  beforeAll(() =>
    fs.writeFileSync(
      OPERATOR,
      [
        'mlRegistry:',
        '  accounts:',
        "    - { accountId: '123456789012', stage: shared-services, name: ml-shared-services }",
        "    - { accountId: '210987654321', stage: dev, name: fraud-dev, team: group:default/fraud-data-science }",
        '  gates:',
        '    approvers:',
        "      dev-approval: ['group:default/fraud-leads']",
        "      central-approval: ['group:default/mlops']",
        "      governance-approval: ['group:default/model-risk']",
        '    identities:',
        "      - { aws: 'arn:aws:iam::210987654321:role/fraud-data-scientist', user: user:default/dana }",
      ].join('\n'),
    ),
  );
  afterAll(() => fs.rmSync(OPERATOR, { force: true }));

  const start = async (...files: string[]) => {
    const config = await load(...files).then(c => c.get<any>());
    // An in-memory database stands in for the operator's PostgreSQL.
    const data = {
      ...config,
      backend: {
        ...config.backend,
        database: { client: 'better-sqlite3', connection: ':memory:' },
      },
    };
    return startTestBackend({
      features: [
        mlRegistryPlugin,
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        // The permission backend is another plugin: allow, as its policy does for a reader.
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        mockServices.rootConfig.factory({ data }),
      ],
    });
  };

  it('refuses to start on the local values app-config.yaml leaves in place, naming each key', async () => {
    const message = await start(...PRODUCTION).then(
      () => 'started',
      e => String(e),
    );
    expect(message).toContain(
      'Refusing to start in production with local development config',
    );
    expect(message).toContain(
      "mlRegistry.accounts[0].accountId: '111111111111' names 111111111111, an example account of the sandbox",
    );
    expect(message).toContain(
      "mlRegistry.accounts[5].accountId: '555555555555' names 555555555555, an example account of the sandbox",
    );
    // The production file itself replaces the endpoint, keys, queue, listen address and origins.
    for (const key of [
      'mlRegistry.endpoint',
      'aws.mainAccount',
      'backend.cors',
      'backend.csp',
      'backend.listen',
      'queue.url',
    ]) {
      expect(message).not.toContain(key);
    }
  });

  it('refuses each local value an operator writes back, and the example approver groups', async () => {
    const BACK = path.join(os.tmpdir(), `app-config.back-${process.pid}.yaml`);
    fs.writeFileSync(
      BACK,
      [
        'backend: { cors: { origin: http://localhost:3000 }, csp: { connect-src: ["\'self\'", "http:"] } }',
        'mlRegistry: { endpoint: http://localhost:4566, gates: { approvers: { dev-approval: [group:default/lead-data-scientists] } } }',
        "aws: { mainAccount: { accessKeyId: '999999999999', secretAccessKey: sandbox } }",
      ].join('\n'),
    );
    try {
      const message = await start(...PRODUCTION, OPERATOR, BACK).then(
        () => 'started',
        e => String(e),
      );
      expect(message).toContain(
        "backend.cors.origin: 'http://localhost:3000' is a local address",
      );
      expect(message).toContain(
        "backend.csp.connect-src[1]: 'http:' lets the app connect anywhere over plain http",
      );
      expect(message).toContain(
        "mlRegistry.endpoint: 'http://localhost:4566' is a local address",
      );
      expect(message).toContain(
        "aws.mainAccount.accessKeyId: '999999999999' names 999999999999, an example account of the sandbox",
      );
      expect(message).toContain(
        "mlRegistry.gates.approvers.dev-approval[0]: 'group:default/lead-data-scientists' is a group of the example organisation",
      );
    } finally {
      fs.rmSync(BACK, { force: true });
    }
  });

  it('starts with the overrides an operator writes', async () => {
    const config = await load(...PRODUCTION, OPERATOR);
    expect(config.getOptional('mlRegistry.endpoint')).toBeUndefined();
    expect(config.getOptional('aws.mainAccount')).toBeUndefined();
    const { server } = await start(...PRODUCTION, OPERATOR);
    const res = await request(server).get('/api/ml-registry/accounts');
    expect(res.status).toBe(200);
    expect(
      res.body.items.map((a: { accountId: string }) => a.accountId),
    ).toEqual(['210987654321', '123456789012']);
  });
});
