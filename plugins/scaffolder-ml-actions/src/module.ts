import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createResolveAccountAction } from './actions/resolveAccount';

/**
 * Adds the ML platform's template actions to the scaffolder.
 *
 * @public
 */
export const scaffolderModuleMlActions = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'ml-actions',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        scaffolder: scaffolderActionsExtensionPoint,
      },
      async init({ config, scaffolder }) {
        scaffolder.addActions(createResolveAccountAction({ config }));
      },
    });
  },
});
