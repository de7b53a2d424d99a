import { generateKeyPairSync, sign } from 'node:crypto';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { awsAlbSignInModule } from './awsAlbSignIn';

const REGION = 'us-east-1';
const ISSUER = 'https://idp.example.com';
const OUR_ALB =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/backstage/50dc6c495c0c9188';
// Any AWS customer's ALB in the region signs with the same regional key.
const THEIR_ALB =
  'arn:aws:elasticloadbalancing:us-east-1:210987654321:loadbalancer/app/attacker/0123456789abcdef';
const KID = '7e7c5a41-0000-4000-8000-000000000001';

const grace = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'grace.governance', namespace: 'default' },
  spec: {
    profile: { email: 'grace@example.com' },
    memberOf: ['governance-officers'],
  },
  relations: [
    { type: 'memberOf', targetRef: 'group:default/governance-officers' },
  ],
};

// Stands in for the region's ELB key: the ALB signs x-amzn-oidc-data with ES256 and
// publishes the public key at https://public-keys.auth.elb.<region>.amazonaws.com/<kid>.
const { privateKey, publicKey } = generateKeyPairSync('ec', {
  namedCurve: 'P-256',
});
const b64 = (value: object) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** The x-amzn-oidc-data header as an ALB sends it. */
function albJwt(signer: string, claims: Record<string, unknown>) {
  const exp = Math.floor(Date.now() / 1000) + 600;
  const head = `${b64({
    alg: 'ES256',
    kid: KID,
    signer,
    iss: ISSUER,
    client: 'backstage',
    exp,
  })}.${b64({
    sub: 'grace',
    name: 'Grace',
    picture: 'https://idp.example.com/grace.png',
    iss: ISSUER,
    exp,
    ...claims,
  })}`;
  return `${head}.${sign('sha256', Buffer.from(head), {
    key: privateKey,
    dsaEncoding: 'ieee-p1363',
  }).toString('base64url')}`;
}

function start(awsalb: Record<string, unknown>) {
  return startTestBackend({
    features: [
      authPlugin,
      awsAlbSignInModule,
      catalogServiceMock.factory({ entities: [grace] }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'https://backstage.example.com' },
          auth: {
            environment: 'production',
            providers: {
              awsalb: {
                issuer: ISSUER,
                region: REGION,
                signIn: {
                  resolvers: [
                    { resolver: 'emailMatchingUserEntityProfileEmail' },
                  ],
                },
                ...awsalb,
              },
            },
          },
        },
      }),
    ],
  });
}

describe('awsAlbSignInModule', () => {
  const realFetch = global.fetch;
  beforeAll(() => {
    jest
      .spyOn(global, 'fetch')
      .mockImplementation(async (url, init) =>
        String(url) ===
        `https://public-keys.auth.elb.${REGION}.amazonaws.com/${KID}`
          ? new Response(
              publicKey.export({ type: 'spki', format: 'pem' }) as string,
            )
          : realFetch(url, init),
      );
  });
  afterAll(() => jest.restoreAllMocks());

  const refresh = (server: any, jwt: string) =>
    request(server)
      .get('/api/auth/awsalb/refresh')
      .set('x-amzn-oidc-data', jwt)
      .set('x-amzn-oidc-accesstoken', 'token');

  it('signs in a user with a verified e-mail, through our load balancer', async () => {
    const { server } = await start({ signer: OUR_ALB });
    const res = await refresh(
      server,
      albJwt(OUR_ALB, { email: 'grace@example.com', email_verified: true }),
    );
    expect(res.status).toBe(200);
    expect(res.body.backstageIdentity.identity.userEntityRef).toBe(
      'user:default/grace.governance',
    );
    // Amazon Cognito's user info sends the claim as a string.
    expect(
      (
        await refresh(
          server,
          albJwt(OUR_ALB, {
            email: 'grace@example.com',
            email_verified: 'true',
          }),
        )
      ).status,
    ).toBe(200);
  });

  it("refuses claims signed by another AWS customer's load balancer", async () => {
    const { server } = await start({ signer: OUR_ALB });
    const res = await refresh(
      server,
      albJwt(THEIR_ALB, { email: 'grace@example.com', email_verified: true }),
    );
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe('Signer mismatch on JWT token');
  });

  it('refuses an e-mail address the identity provider has not verified', async () => {
    const { server } = await start({ signer: OUR_ALB });
    for (const claims of [
      { email_verified: false },
      { email_verified: 'false' },
      {},
    ]) {
      const res = await refresh(
        server,
        albJwt(OUR_ALB, { email: 'grace@example.com', ...claims }),
      );
      expect(res.status).toBe(401);
      expect(res.body.error.message).toBe(
        'The identity provider has not verified the e-mail address of this user',
      );
    }
  });

  it('does not start without the signer pinned to a load balancer ARN', async () => {
    await expect(start({})).rejects.toThrow(
      "auth.providers.awsalb.signer: '' must be the ARN of your Application Load Balancer",
    );
    await expect(start({ signer: 'backstage' })).rejects.toThrow(
      "auth.providers.awsalb.signer: 'backstage' must be the ARN",
    );
  });
});
