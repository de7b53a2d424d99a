import { createBackendModule } from '@backstage/backend-plugin-api';
import { AuthenticationError } from '@backstage/errors';
import {
  awsAlbAuthenticator,
  awsAlbSignInResolvers,
} from '@backstage/plugin-auth-backend-module-aws-alb-provider';
import {
  authProvidersExtensionPoint,
  commonSignInResolvers,
  createProxyAuthProviderFactory,
  createProxyAuthenticator,
} from '@backstage/plugin-auth-node';

// The ARN of an Application Load Balancer, as the ALB writes it in the `signer` field of the
// x-amzn-oidc-data header: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-authenticate-users.html
const ALB_ARN =
  /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/app\/[A-Za-z0-9-]+\/[0-9a-f]+$/;

/** The header the ALB puts the user's claims in, signed. */
const ALB_JWT_HEADER = 'x-amzn-oidc-data';

/** The claims of a JWT whose signature was already verified. */
function claimsOf(jwt: string): Record<string, unknown> {
  // The ALB pads its base64url segments with '=', which Buffer ignores.
  return JSON.parse(
    Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'),
  );
}

/**
 * The ALB sign-in of the AWS ALB provider module, stricter: the load balancer
 * that signs the user's claims must be the one configured as
 * `auth.providers.awsalb.signer` (without it the provider does not start, so
 * any ALB in the region, anyone's, could sign users in), and the identity
 * provider must have verified the e-mail address users are resolved by.
 */
export const verifiedAwsAlbAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: awsAlbAuthenticator.defaultProfileTransform,
  initialize(ctx) {
    const signer = ctx.config.getOptionalString('signer');
    if (!signer || !ALB_ARN.test(signer)) {
      throw new Error(
        `auth.providers.awsalb.signer: '${
          signer ?? ''
        }' must be the ARN of your Application Load Balancer, e.g. arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/backstage/50dc6c495c0c9188`,
      );
    }
    return awsAlbAuthenticator.initialize(ctx);
  },
  async authenticate(input, ctx) {
    // Verifies the signature with the region's ALB key, the issuer and the signer.
    const result = await awsAlbAuthenticator.authenticate(input, ctx);
    const verified = claimsOf(input.req.header(ALB_JWT_HEADER)!).email_verified;
    // OIDC defines email_verified as a boolean; Amazon Cognito's user info sends the string "true".
    if (verified !== true && verified !== 'true') {
      throw new AuthenticationError(
        'The identity provider has not verified the e-mail address of this user',
      );
    }
    return result;
  },
});

/** Signs in behind an AWS ALB with verifiedAwsAlbAuthenticator, in place of the provider module. */
export const awsAlbSignInModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'aws-alb-verified',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'awsalb',
          factory: createProxyAuthProviderFactory({
            authenticator: verifiedAwsAlbAuthenticator,
            signInResolverFactories: {
              ...commonSignInResolvers,
              ...awsAlbSignInResolvers,
            },
          }),
        });
      },
    });
  },
});
