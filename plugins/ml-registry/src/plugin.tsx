import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  OverridableFrontendPlugin,
  PageBlueprint,
  RouteRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  createFormField,
  FormFieldBlueprint,
} from '@backstage/plugin-scaffolder-react/alpha';
import StorageIcon from '@material-ui/icons/Storage';
import { mlRegistryApiRef } from './api/MlRegistryApi';
import { MlRegistryClient } from './api/MlRegistryClient';
import { rootRouteRef } from './routes';

const mlRegistryApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: mlRegistryApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new MlRegistryClient(deps),
    }),
});

/** The Model tab of every ai-model entity: versions, gates, audit trail. */
const modelEntityContent = EntityContentBlueprint.make({
  name: 'model',
  params: {
    path: 'model',
    title: 'Model',
    filter: entity =>
      entity.kind === 'Resource' &&
      (entity.spec as { type?: string } | undefined)?.type === 'ai-model',
    loader: () =>
      import('./components/ModelContent/ModelContent').then(m => (
        <m.ModelContent />
      )),
  },
});

/** The Deployment tab of every model-server entity: the version served and its stages. */
const modelServerEntityContent = EntityContentBlueprint.make({
  name: 'model-server',
  params: {
    path: 'deployment',
    title: 'Deployment',
    filter: entity =>
      entity.kind === 'Component' &&
      (entity.spec as { type?: string } | undefined)?.type === 'model-server',
    loader: () =>
      import('./components/ModelServerContent/ModelServerContent').then(m => (
        <m.ModelServerContent />
      )),
  },
});

/** The MlAccountPicker field of the ML templates: an account from mlRegistry.accounts. */
const accountPickerField = FormFieldBlueprint.make({
  name: 'ml-account-picker',
  params: {
    field: () =>
      import('./components/MlAccountPicker/MlAccountPicker').then(m =>
        createFormField({
          name: 'MlAccountPicker',
          component: m.MlAccountPicker,
        }),
      ),
  },
});

const mlRegistryPage = PageBlueprint.make({
  params: {
    path: '/ml-registry',
    title: 'ML Registry',
    icon: <StorageIcon />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/MlRegistryPage/MlRegistryPage').then(m => (
        <m.MlRegistryPage />
      )),
  },
});

/**
 * The ML registry: models, versions and approval gates across AWS accounts.
 * Its type is written out: the inferred one spells Backstage's blueprint
 * parameters, whose literal unions TypeScript prints in whatever order it met
 * their members, so the API report would change with unrelated code.
 *
 * @public
 */
export const mlRegistryPlugin: OverridableFrontendPlugin<{
  root: RouteRef<undefined>;
}> = createFrontendPlugin({
  pluginId: 'ml-registry',
  info: { packageJson: () => import('../package.json') },
  extensions: [
    mlRegistryApi,
    mlRegistryPage,
    modelEntityContent,
    modelServerEntityContent,
    accountPickerField,
  ],
  routes: { root: rootRouteRef },
});
