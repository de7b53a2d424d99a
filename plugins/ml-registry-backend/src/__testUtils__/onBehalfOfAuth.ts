import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import {
  AuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

/**
 * The mock auth service, except that a token another plugin obtained on a
 * user's behalf authenticates as that user with an actor, as the real auth
 * service's on-behalf-of tokens do. The permissions registry lets only such
 * requests (and services) apply a policy's conditions, so without it a
 * conditional decision could not be evaluated in a test backend.
 */
const onBehalfOfAuthServiceFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): AuthService {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    const authenticate = auth.authenticate.bind(auth);
    return Object.assign(auth, {
      async authenticate(
        token: string,
        options?: { allowLimitedAccess?: boolean },
      ) {
        const credentials = await authenticate(token, options);
        // Mock on-behalf-of tokens are service tokens naming the user (`obo`); they do not say which plugin asked.
        if (
          auth.isPrincipal(credentials, 'user') &&
          token.startsWith('mock-service-token:')
        ) {
          return mockCredentials.user(credentials.principal.userEntityRef, {
            actor: { subject: 'plugin:on-behalf-of' },
          });
        }
        return credentials;
      },
    }) as AuthService;
  },
});

/** The auth services of a test backend that evaluates conditional decisions: the above, and the real HTTP auth over it. */
export const onBehalfOfAuth = [
  onBehalfOfAuthServiceFactory,
  httpAuthServiceFactory,
];
