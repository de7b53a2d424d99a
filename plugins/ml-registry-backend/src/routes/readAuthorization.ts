import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mlRegistryReadPermission } from '@ml-governance/plugin-ml-registry-common';
import express from 'express';

/** A check that the caller of a request may read the registry; a refusal is a 403. */
export function readAuthorization(deps: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}) {
  return async (req: express.Request<any, any, any, any>): Promise<void> => {
    const credentials = await deps.httpAuth.credentials(req);
    const [decision] = await deps.permissions.authorize(
      [{ permission: mlRegistryReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${mlRegistryReadPermission.name} is not allowed for this user`,
      );
    }
  };
}
