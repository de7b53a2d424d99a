import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { ML_REGISTRY_ENTITIES_TOPIC } from '@ml-governance/plugin-ml-registry-common';
import { awsClientFactoryServiceRef } from '@ml-governance/plugin-ml-registry-node';
import {
  MlRegistryBackendConfig,
  readMlRegistryBackendConfig,
} from './config/readMlRegistryBackendConfig';
import { openStores, Stores } from './database/openStores';
import { storedCatalogEntities } from './entities/catalogEntities';
import { GateNotifier } from './gates/GateNotifier';
import { GateService } from './gates/GateService';
import { Promotion } from './gates/Promotion';
import { promoteApproved } from './gates/promotionTrigger';
import { registerPermissions } from './permissions/modelVersionRules';
import { assertNoLocalValuesInProduction } from './productionChecks';
import { createRouter } from './router';
import { AccountSync } from './sync/AccountSync';
import { syncOnEvents } from './sync/syncOnEvents';
import { scheduleSync } from './scheduledSync';

const DEPS = {
  rootConfig: coreServices.rootConfig,
  database: coreServices.database,
  httpAuth: coreServices.httpAuth,
  httpRouter: coreServices.httpRouter,
  logger: coreServices.logger,
  permissions: coreServices.permissions,
  permissionsRegistry: coreServices.permissionsRegistry,
  scheduler: coreServices.scheduler,
  clients: awsClientFactoryServiceRef,
  events: eventsServiceRef,
  notifications: notificationService,
};

type Deps = { [K in keyof typeof DEPS]: (typeof DEPS)[K]['T'] };

/** The gates, and what promotes a dev account's approved versions (run after each of its syncs). */
function startGates(
  deps: Deps,
  config: MlRegistryBackendConfig,
  stores: Stores,
) {
  const { platform, gates: policy } = config;
  const notifier = new GateNotifier({ ...deps, ...config });
  const onNewStates = notifier.versionsPending.bind(notifier);
  const sync = new AccountSync({
    ...deps,
    ...stores,
    resourcesRefreshMs: config.resourcesRefreshMs,
    // The catalog module refreshes on this instead of waiting for its schedule.
    onEntitiesChanged: accountId =>
      deps.events.publish({
        topic: ML_REGISTRY_ENTITIES_TOPIC,
        eventPayload: { accountId },
      }),
    onNewStates,
  });
  const promotion = new Promotion({
    ...deps,
    ...stores,
    ...config,
    onNewStates,
  });
  const gates = new GateService({
    ...deps,
    ...stores,
    platform,
    promotion,
    sync,
    policy,
  });
  const promoteApprovedOf = promoteApproved({ ...stores, policy, promotion });
  return { notifier, sync, gates, promoteApproved: promoteApprovedOf };
}

/** The REST API, with the permissions it checks. */
async function serve(
  deps: Deps,
  config: MlRegistryBackendConfig,
  stores: Stores,
  gates: GateService,
) {
  const { platform, defaultOwner } = config;
  registerPermissions(deps.permissionsRegistry, stores.versions, platform);
  const entities = () =>
    storedCatalogEntities(stores, {
      accounts: platform.accounts,
      defaultOwner,
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
    env.registerInit({
      deps: DEPS,
      async init(deps) {
        // Read config first: a bad key stops start-up before anything is written.
        assertNoLocalValuesInProduction(deps.rootConfig);
        const config = readMlRegistryBackendConfig(deps.rootConfig);
        const { platform } = config;
        const stores = await openStores(deps.database);
        await stores.accounts.replaceAccounts(platform.accounts);
        deps.logger.info(
          `ML platform: ${platform.accounts.length} accounts in ${platform.region}`,
        );
        const started = startGates(deps, config, stores);
        await started.notifier.subscribe(deps.events, config.eventsTopic);
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
        await serve(deps, config, stores, started.gates);
      },
    });
  },
});
