import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  AccountsResponse,
  mlRegistryReadPermission,
} from '@ml-governance/plugin-ml-registry-common';
import { Entity } from '@backstage/catalog-model';
import express from 'express';
import Router from 'express-promise-router';
import { AccountStore } from './database/AccountStore';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  accounts: AccountStore;
  /** The catalog entities of every account's models, for the catalog module. */
  entities: () => Promise<Entity[]>;
}

export async function createRouter({
  httpAuth,
  permissions,
  accounts,
  entities,
}: RouterOptions): Promise<express.Router> {
  const router = Router();
  router.use(express.json());

  async function authorize(req: express.Request) {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize(
      [{ permission: mlRegistryReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${mlRegistryReadPermission.name} is not allowed for this user`,
      );
    }
  }

  router.get('/accounts', async (req, res) => {
    await authorize(req);
    const body: AccountsResponse = { items: await accounts.listAccounts() };
    res.json(body);
  });

  // Only other backend plugins (the catalog module) read the entities.
  router.get('/entities', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    res.json({ items: await entities() });
  });

  return router;
}
