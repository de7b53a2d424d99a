import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/** The header the local sign-in page sends with the user it picked. */
export const LOCAL_SIGN_IN_HEADER = 'x-local-sign-in-user';

/**
 * Local development only: signs in as one of the users listed under
 * `localSignIn.users`, picked on the sign-in page, with no password. It is
 * refused unless `auth.environment` is `development`.
 */
export const localSignInModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'local-sign-in',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        providers: authProvidersExtensionPoint,
      },
      async init({ config, providers }) {
        const users = (config.getOptionalConfigArray('localSignIn.users') ?? []).map(
          user => user.getString('entityRef'),
        );
        const environment = config.getOptionalString('auth.environment') ?? 'development';
        if (users.length === 0 || environment !== 'development') {
          return;
        }
        providers.registerProvider({
          providerId: 'local-sign-in',
          factory: createProxyAuthProviderFactory({
            authenticator: createProxyAuthenticator({
              defaultProfileTransform: async (result: { entityRef: string }) => ({
                profile: { displayName: result.entityRef },
              }),
              initialize: () => undefined,
              async authenticate({ req }) {
                const entityRef = req.get(LOCAL_SIGN_IN_HEADER);
                if (!entityRef || !users.includes(entityRef)) {
                  throw new NotAllowedError(
                    `${LOCAL_SIGN_IN_HEADER}: '${entityRef ?? ''}' is not one of the users under localSignIn.users`,
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
