import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  MlRegistryBackendConfig,
  readMlRegistryBackendConfig,
} from './config/readMlRegistryBackendConfig';
import { openStores, Stores } from './database/openStores';
import { storedCatalogEntities } from './entities/catalogEntities';
import {
  MlRegistryExtensions,
  registerExtensionPoints,
} from './extensions/registerExtensionPoints';
import { GateService } from './gates/GateService';
import { withActionLog } from './http/actionLog';
import {
  ApproversOf,
  registerPermissions,
} from './permissions/modelVersionRules';
import { assertNoLocalValuesInProduction } from './productionChecks';
import { createRouter } from './router';
import { syncOnEvents } from './sync/syncOnEvents';
import { scheduleSync } from './scheduledSync';
import { Deps, DEPS, startGates } from './startGates';

/** Who decides a gate of a version: a module's resolver, or else the configured approvers. */
function approversOf(
  config: MlRegistryBackendConfig,
  extensions: MlRegistryExtensions,
): ApproversOf {
  return (gate, version) =>
    extensions.approvers.approversOf({
      gate,
      version,
      configured: config.approvers[gate],
    });
}

/** The REST API, with the permissions it checks. */
async function serve(
  deps: Deps,
  config: MlRegistryBackendConfig,
  extensions: MlRegistryExtensions,
  stores: Stores,
  gates: GateService,
) {
  const { platform, defaultOwner } = config;
  registerPermissions(
    deps.permissionsRegistry,
    stores.versions,
    platform,
    approversOf(config, extensions),
  );
  const entities = () =>
    storedCatalogEntities(stores, {
      accounts: platform.accounts,
      defaultOwner,
      modelOwner: extensions.modelOwner,
    });
  deps.httpRouter.use(
    await createRouter({
      ...deps,
      ...stores,
      platform,
      defaultOwner,
      entities,
      gates,
    }),
  );
}

/**
 * The ML registry backend: aggregates the model registries of every configured
 * AWS account and serves them to the frontend.
 *
 * @public
 */
export const mlRegistryPlugin = createBackendPlugin({
  pluginId: 'ml-registry',
  register(env) {
    const extensions = registerExtensionPoints(env);
    env.registerInit({
      deps: DEPS,
      async init(deps) {
        // Read config first: a bad key stops start-up before anything is written.
        assertNoLocalValuesInProduction(deps.rootConfig);
        const read = readMlRegistryBackendConfig(deps.rootConfig);
        // Modules' init ran before this one: what they set is final.
        const config = {
          ...read,
          gates: { ...read.gates, checklist: extensions.checklist },
        };
        const { platform } = config;
        const opened = await openStores(deps.database);
        // Each step the audit log records as done is also one info line.
        const stores = {
          ...opened,
          audit: withActionLog(opened.audit, deps.logger),
        };
        await stores.accounts.replaceAccounts(platform.accounts);
        deps.logger.info(
          `ML platform: ${platform.accounts.length} accounts in ${platform.region}`,
        );
        const started = startGates(
          deps,
          { ...config, approversOf: approversOf(config, extensions) },
          stores,
        );
        await started.notifier.subscribe(deps.events, config.eventsTopic);
        await started.modelSignals.followDeploys(
          deps.events,
          config.eventsTopic,
        );
        await scheduleSync({
          ...deps,
          ...config,
          ...started,
          accounts: platform.accounts,
        });
        // Events are the fast path; the schedule is the safety net.
        await syncOnEvents({
          ...deps,
          topic: config.eventsTopic,
          accounts: platform.accounts,
          sync: started.sync,
          afterSync: started.promoteApproved,
        });
        await serve(deps, config, extensions, stores, started.gates);
      },
    });
  },
});
