import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigSources } from '@backstage/config-loader';
import authPlugin from '@backstage/plugin-auth-backend';
import authModuleAwsAlb from '@backstage/plugin-auth-backend-module-aws-alb-provider';
import authModuleOidc from '@backstage/plugin-auth-backend-module-oidc-provider';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { LOCAL_SIGN_IN_HEADER, localSignInModule } from './modules/localSignIn';

const ROOT = path.resolve(__dirname, '../../..');
const ENV: Record<string, string> = {
  APP_BASE_URL: 'https://backstage.example.com', BACKEND_SECRET: 'secret', AWS_REGION: 'us-east-1',
  POSTGRES_HOST: 'db', POSTGRES_PORT: '5432', POSTGRES_USER: 'backstage', POSTGRES_PASSWORD: 'pw',
  AUTH_OIDC_METADATA_URL: 'https://idp.example.com/.well-known/openid-configuration',
  AUTH_OIDC_CLIENT_ID: 'backstage', AUTH_OIDC_CLIENT_SECRET: 'oidc-secret',
  AUTH_ALB_ISSUER: 'https://idp.example.com',
};

/** The config as the backend loads it from these files, in this order. */
async function load(...files: string[]) {
  const config = await ConfigSources.toConfig(ConfigSources.default({
    rootDir: ROOT,
    argv: files.flatMap(f => ['--config', path.join(ROOT, f)]),
    substitutionFunc: async name => ENV[name],
  }));
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
      metadataUrl: ENV.AUTH_OIDC_METADATA_URL, clientId: 'backstage',
      signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] },
    });
    expect(config.getString('signIn.provider')).toBe('oidc');
  });

  it('behind an ALB, signs in through the ALB instead, with no pick-a-user sign-in either', async () => {
    const config = await load(...BEHIND_ALB);
    expect(config.getOptional('localSignIn')).toBeUndefined();
    expect(config.getConfig('auth.providers').keys()).toEqual(['awsalb']);
    expect(config.get('auth.providers.awsalb')).toMatchObject({
      issuer: ENV.AUTH_ALB_ISSUER, region: 'us-east-1', signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] },
    });
    expect(config.getString('signIn.provider')).toBe('awsalb');
  });

  it('the local config keeps the pick-a-user sign-in for development', async () => {
    const config = await load('app-config.yaml');
    expect(config.getString('auth.environment')).toBe('development');
    expect(config.getConfigArray('localSignIn.users').length).toBeGreaterThan(0);
  });

  it('the real auth backend with it serves the ALB sign-in, refuses unsigned requests and has no local sign-in', async () => {
    const config = await load(...BEHIND_ALB);
    const { server } = await startTestBackend({
      features: [
        authPlugin,
        authModuleOidc,
        authModuleAwsAlb,
        localSignInModule,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({ data: { app: config.get('app'), auth: config.get('auth'), localSignIn: config.getOptional('localSignIn') } }),
      ],
    });
    const local = await request(server).get('/api/auth/local-sign-in/refresh').set(LOCAL_SIGN_IN_HEADER, 'user:default/grace.governance');
    expect(local.status).toBe(404);
    // Without the ALB's signed header nobody is signed in.
    const alb = await request(server).get('/api/auth/awsalb/refresh');
    expect(alb.status).toBe(401);
  });
});
