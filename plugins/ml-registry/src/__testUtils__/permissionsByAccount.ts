import { mockApis } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';

/**
 * The permission API, as a test's app takes it, allowing each permission
 * named in `allowed` only on versions of the account beside it (the account
 * of the version's ARN).
 */
export function permissionsByAccount(
  allowed: [string, string][],
): readonly [typeof permissionApiRef, ReturnType<typeof mockApis.permission>] {
  return [
    permissionApiRef,
    mockApis.permission({
      authorize: r =>
        allowed.some(
          ([name, account]) =>
            r.permission.name === name &&
            'resourceRef' in r &&
            r.resourceRef?.split(':')[4] === account,
        )
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    }),
  ] as const;
}
