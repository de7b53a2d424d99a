import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
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
      },
      async init({ catalog, config, discovery, auth, logger, scheduler }) {
        const scheduleConfig = config.getOptionalConfig('catalog.providers.mlRegistry.schedule');
        const taskRunner = scheduler.createScheduledTaskRunner(
          scheduleConfig
            ? readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig)
            : { frequency: { seconds: 30 }, timeout: { minutes: 3 }, initialDelay: { seconds: 10 } },
        );
        catalog.addEntityProvider(new MlRegistryEntityProvider({ discovery, auth, logger, taskRunner }));
      },
    });
  },
});
