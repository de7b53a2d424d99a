import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/** The header the local sign-in page sends with the user it picked. */
export const LOCAL_SIGN_IN_HEADER = 'x-local-sign-in-user';

const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'];

/**
 * Why the local sign-in stays off with this config, or undefined when it may
 * run: it needs `auth.environment` to be exactly `development` and the backend
 * to listen on loopback only, so nobody else on the network can use it.
 */
export function localSignInRefusal(config: Config): string | undefined {
  const environment = config.getOptionalString('auth.environment');
  if (environment !== 'development') {
    return `auth.environment is '${environment ?? ''}', not 'development'`;
  }
  const listen = config.getOptional('backend.listen');
  // backend.listen is '<port>', '<host>:<port>' or { host, port }; no host means every interface.
  const host =
    typeof listen === 'string'
      ? listen.slice(0, Math.max(listen.lastIndexOf(':'), 0))
      : config.getOptionalString('backend.listen.host') ?? '';
  if (!LOOPBACK_HOSTS.includes(host)) {
    return `backend.listen.host is '${host}', not one of ${LOOPBACK_HOSTS.join(
      ', ',
    )}`;
  }
  return undefined;
}

/**
 * Local development only: signs in as one of the users listed under
 * `localSignIn.users`, picked on the sign-in page, with no password. It fails
 * closed: off unless localSignInRefusal finds nothing.
 */
export const localSignInModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'local-sign-in',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        providers: authProvidersExtensionPoint,
      },
      async init({ config, logger, providers }) {
        const users = (
          config.getOptionalConfigArray('localSignIn.users') ?? []
        ).map(user => user.getString('entityRef'));
        if (users.length === 0) return;
        const refusal = localSignInRefusal(config);
        if (refusal) {
          logger.warn(`The local sign-in is off: ${refusal}`);
          return;
        }
        providers.registerProvider({
          providerId: 'local-sign-in',
          factory: createProxyAuthProviderFactory({
            authenticator: createProxyAuthenticator({
              defaultProfileTransform: async (result: {
                entityRef: string;
              }) => ({
                profile: { displayName: result.entityRef },
              }),
              initialize: () => undefined,
              async authenticate({ req }) {
                const entityRef = req.get(LOCAL_SIGN_IN_HEADER);
                if (!entityRef || !users.includes(entityRef)) {
                  throw new NotAllowedError(
                    `${LOCAL_SIGN_IN_HEADER}: '${
                      entityRef ?? ''
                    }' is not one of the users under localSignIn.users`,
                  );
                }
                return { result: { entityRef } };
              },
            }),
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: result.entityRef }),
          }),
        });
      },
    });
  },
});
