export interface Config {
  catalog?: {
    providers?: {
      mlRegistry?: {
        /** How often the catalog re-reads the ML registry's entities. Default every 30 seconds. */
        schedule?: import('@backstage/backend-plugin-api').SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
