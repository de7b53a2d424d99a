import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { ML_REGISTRY_ENTITIES_TOPIC } from '@ml-governance/plugin-ml-registry-common';
import { MlRegistryEntityProvider } from './providers/MlRegistryEntityProvider';

/**
 * Brings the ML registry's models into the software catalog.
 *
 * @public
 */
export const catalogModuleMlRegistry = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'ml-registry',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        events: eventsServiceRef,
      },
      async init({
        catalog,
        config,
        discovery,
        auth,
        logger,
        scheduler,
        events,
      }) {
        const scheduleConfig = config.getOptionalConfig(
          'catalog.providers.mlRegistry.schedule',
        );
        const taskRunner = scheduler.createScheduledTaskRunner(
          scheduleConfig
            ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
                scheduleConfig,
              )
            : {
                frequency: { seconds: 30 },
                timeout: { minutes: 3 },
                initialDelay: { seconds: 10 },
              },
        );
        const provider = new MlRegistryEntityProvider({
          discovery,
          auth,
          logger,
          taskRunner,
        });
        catalog.addEntityProvider(provider);
        // The schedule is the safety net; a sync that changed entities says so at once.
        await events.subscribe({
          id: 'catalog-ml-registry',
          topics: [ML_REGISTRY_ENTITIES_TOPIC],
          onEvent: () => provider.refreshSoon(),
        });
      },
    });
  },
});
