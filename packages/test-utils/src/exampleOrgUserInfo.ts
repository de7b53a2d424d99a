import { readFileSync } from 'node:fs';
import {
  coreServices,
  createServiceFactory,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import YAML from 'yaml';

const ORG = resolvePackagePath(
  '@ml-governance/test-utils',
  '..',
  '..',
  'examples',
  'org.yaml',
);

/** Each example user's groups, as examples/org.yaml lists them (`spec.memberOf`). */
export function exampleOrgMemberships(): Record<string, string[]> {
  const users = YAML.parseAllDocuments(readFileSync(ORG, 'utf8'))
    .map(d => d.toJS())
    .filter(e => e?.kind === 'User');
  return Object.fromEntries(
    users.map(u => [u.metadata.name, u.spec?.memberOf ?? []]),
  );
}

/**
 * The userInfo service as sign-in makes it for the example organisation: a
 * user's ownership refs are the user and the groups examples/org.yaml puts
 * them in, plus `extra` users a test needs (say, one person in two roles).
 */
export function exampleOrgUserInfoFactory(
  extra: Record<string, string[]> = {},
) {
  const groups = { ...exampleOrgMemberships(), ...extra };
  return createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials: any) {
        const ref: string = credentials.principal.userEntityRef;
        return {
          userEntityRef: ref,
          ownershipEntityRefs: [
            ref,
            ...(groups[ref.split('/')[1]] ?? []).map(g => `group:default/${g}`),
          ],
        };
      },
    }),
  });
}
