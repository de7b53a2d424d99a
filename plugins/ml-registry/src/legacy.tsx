import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { mlRegistryApiRef } from './api/MlRegistryApi';
import { MlRegistryClient } from './api/MlRegistryClient';
import { MlAccountPicker } from './components/MlAccountPicker/MlAccountPicker';

/** The ML Registry page's route, for apps on the legacy frontend system. @public */
export const mlRegistryRootRouteRef = createRouteRef({ id: 'ml-registry' });

/**
 * The ML registry plugin for apps on the legacy frontend system; the new
 * frontend system uses the package's default export.
 *
 * @public
 */
export const mlRegistryLegacyPlugin = createPlugin({
  id: 'ml-registry',
  apis: [
    createApiFactory({
      api: mlRegistryApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new MlRegistryClient(deps),
    }),
  ],
  routes: { root: mlRegistryRootRouteRef },
});

/** The ML Registry page (models and accounts), to mount on a route. @public */
export const MlRegistryPage = mlRegistryLegacyPlugin.provide(
  createRoutableExtension({
    name: 'MlRegistryPage',
    component: () =>
      import('./components/MlRegistryPage/MlRegistryPage').then(
        m => m.MlRegistryPage,
      ),
    mountPoint: mlRegistryRootRouteRef,
  }),
);

/** The Model tab content for ai-model entity pages. @public */
export const EntityMlModelContent = mlRegistryLegacyPlugin.provide(
  createComponentExtension({
    name: 'EntityMlModelContent',
    component: {
      lazy: () =>
        import('./components/ModelContent/ModelContent').then(
          m => m.ModelContent,
        ),
    },
  }),
);

/** The Deployment tab content for model-server entity pages. @public */
export const EntityMlModelServerContent = mlRegistryLegacyPlugin.provide(
  createComponentExtension({
    name: 'EntityMlModelServerContent',
    component: {
      lazy: () =>
        import('./components/ModelServerContent/ModelServerContent').then(
          m => m.ModelServerContent,
        ),
    },
  }),
);

/**
 * The MlAccountPicker template field, for apps on the legacy frontend system:
 * put it inside `<ScaffolderFieldExtensions>` of the scaffolder page.
 *
 * @public
 */
export const MlAccountPickerFieldExtension = mlRegistryLegacyPlugin.provide(
  createScaffolderFieldExtension({
    name: 'MlAccountPicker',
    component: MlAccountPicker,
  }),
);
