import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mlRegistryPermissions,
  readMlPlatformConfig,
} from '@ml-governance/plugin-ml-registry-common';
import { AccountStore } from './database/AccountStore';
import { migrateDatabase } from './database/migrateDatabase';
import { createRouter } from './router';

/**
 * The ML registry backend: aggregates the model registries of every configured
 * AWS account and serves them to the frontend.
 *
 * @public
 */
export const mlRegistryPlugin = createBackendPlugin({
  pluginId: 'ml-registry',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({
        config,
        database,
        httpAuth,
        httpRouter,
        logger,
        permissions,
        permissionsRegistry,
      }) {
        // Read config first: a bad key stops start-up before anything is written.
        const platform = readMlPlatformConfig(config);
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await migrateDatabase(knex);
        }
        const accounts = new AccountStore(knex);
        await accounts.replaceAccounts(platform.accounts);
        logger.info(
          `ML platform: ${platform.accounts.length} accounts in ${platform.region}`,
        );

        permissionsRegistry.addPermissions(mlRegistryPermissions);
        httpRouter.use(await createRouter({ httpAuth, permissions, accounts }));
      },
    });
  },
});
