import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

const SERVICE_TOKEN = 'mock-service-token:';

/**
 * The test backend's HTTP auth, except that a request a plugin makes on a
 * user's behalf is the user with that plugin as actor, as Backstage's real
 * auth service makes it. The mock drops the actor, and the permission backend
 * refuses conditional decisions (the catalog's, the scaffolder's) to a user
 * with none, as if the user had asked it directly.
 */
export const httpAuthWithActors = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const httpAuth = mockServices.httpAuth({ pluginId: plugin.getId() });
    return {
      async credentials(req: any, options?: any) {
        const credentials: any = await httpAuth.credentials(req, options);
        const token = /^Bearer (.+)$/.exec(
          req.headers.authorization ?? '',
        )?.[1];
        if (
          credentials.principal.type === 'user' &&
          token?.startsWith(SERVICE_TOKEN)
        ) {
          const { sub } = JSON.parse(token.slice(SERVICE_TOKEN.length));
          return mockCredentials.user(credentials.principal.userEntityRef, {
            actor: { subject: sub },
          });
        }
        return credentials;
      },
      issueUserCookie: (res: any, options?: any) =>
        httpAuth.issueUserCookie(res, options),
    } as any;
  },
});
