import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import authPlugin from '@backstage/plugin-auth-backend';
import request from 'supertest';
import { ConfigReader } from '@backstage/config';
import {
  LOCAL_SIGN_IN_HEADER,
  localSignInModule,
  localSignInRefusal,
} from './localSignIn';

const grace = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'grace.governance', namespace: 'default' },
  spec: { memberOf: ['governance-officers'] },
  // As the catalog stores it once processed.
  relations: [
    { type: 'memberOf', targetRef: 'group:default/governance-officers' },
  ],
};

function start(
  environment: string,
  listen: string | { host?: string; port: number } = {
    host: '127.0.0.1',
    port: 7007,
  },
) {
  return startTestBackend({
    features: [
      authPlugin,
      localSignInModule,
      catalogServiceMock.factory({ entities: [grace] }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: { listen },
          auth: { environment, providers: { 'local-sign-in': {} } },
          localSignIn: {
            users: [
              {
                entityRef: 'user:default/grace.governance',
                role: 'Governance officer',
              },
            ],
          },
        },
      }),
    ],
  });
}

describe('localSignInModule', () => {
  it('signs in as a listed user, resolved through the catalog', async () => {
    const { server } = await start('development');
    const res = await request(server)
      .get('/api/auth/local-sign-in/refresh')
      .set(LOCAL_SIGN_IN_HEADER, 'user:default/grace.governance');
    expect(res.status).toBe(200);
    expect(res.body.backstageIdentity.identity).toMatchObject({
      userEntityRef: 'user:default/grace.governance',
      ownershipEntityRefs: expect.arrayContaining([
        'user:default/grace.governance',
        'group:default/governance-officers',
      ]),
    });
  });

  it('refuses a user that is not listed, and names it', async () => {
    const { server } = await start('development');
    const res = await request(server)
      .get('/api/auth/local-sign-in/refresh')
      .set(LOCAL_SIGN_IN_HEADER, 'user:default/mallory');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain(
      "'user:default/mallory' is not one of the users",
    );
  });

  it.each([
    [
      'the production auth environment',
      'production',
      { host: '127.0.0.1', port: 7007 },
    ],
    [
      'an auth environment that is almost development',
      'Development',
      { host: '127.0.0.1', port: 7007 },
    ],
    ['a backend listening on every interface', 'development', { port: 7007 }],
    [
      'a backend listening on a network address',
      'development',
      '10.0.0.5:7007',
    ],
  ])('does not exist with %s', async (_what, environment, listen) => {
    const { server } = await start(environment, listen);
    const res = await request(server)
      .get('/api/auth/local-sign-in/refresh')
      .set(LOCAL_SIGN_IN_HEADER, 'user:default/grace.governance');
    expect(res.status).toBe(404);
  });

  it('says why it is off', () => {
    const config = (data: object) => new ConfigReader(data);
    expect(
      localSignInRefusal(
        config({
          auth: { environment: 'development' },
          backend: { listen: '127.0.0.1:7007' },
        }),
      ),
    ).toBeUndefined();
    expect(
      localSignInRefusal(
        config({
          auth: { environment: 'development' },
          backend: { listen: { host: '::1', port: 7007 } },
        }),
      ),
    ).toBeUndefined();
    expect(
      localSignInRefusal(
        config({
          auth: { environment: 'development' },
          backend: { listen: ':7007' },
        }),
      ),
    ).toBe("backend.listen.host is '', not one of 127.0.0.1, ::1, localhost");
    expect(localSignInRefusal(config({}))).toBe(
      "auth.environment is '', not 'development'",
    );
  });
});
