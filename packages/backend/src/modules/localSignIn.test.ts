import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import authPlugin from '@backstage/plugin-auth-backend';
import request from 'supertest';
import { LOCAL_SIGN_IN_HEADER, localSignInModule } from './localSignIn';

const grace = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'grace.governance', namespace: 'default' },
  spec: { memberOf: ['governance-officers'] },
  // As the catalog stores it once processed.
  relations: [{ type: 'memberOf', targetRef: 'group:default/governance-officers' }],
};

function start(environment: string) {
  return startTestBackend({
    features: [
      authPlugin,
      localSignInModule,
      catalogServiceMock.factory({ entities: [grace] }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          auth: { environment, providers: { 'local-sign-in': {} } },
          localSignIn: {
            users: [{ entityRef: 'user:default/grace.governance', role: 'Governance officer' }],
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
    expect(res.body.error.message).toContain("'user:default/mallory' is not one of the users");
  });

  it('does not exist outside the development auth environment', async () => {
    const { server } = await start('production');
    const res = await request(server)
      .get('/api/auth/local-sign-in/refresh')
      .set(LOCAL_SIGN_IN_HEADER, 'user:default/grace.governance');
    expect(res.status).toBe(404);
  });
});
