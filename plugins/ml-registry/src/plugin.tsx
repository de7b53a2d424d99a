import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
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

const mlRegistryPage = PageBlueprint.make({
  params: {
    path: '/ml-registry',
    title: 'ML Registry',
    icon: <StorageIcon />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/AccountsPage/AccountsPage').then(m => (
        <m.AccountsPage />
      )),
  },
});

/**
 * The ML registry: models, versions and approval gates across AWS accounts.
 *
 * @public
 */
export const mlRegistryPlugin = createFrontendPlugin({
  pluginId: 'ml-registry',
  info: { packageJson: () => import('../package.json') },
  extensions: [mlRegistryApi, mlRegistryPage],
  routes: { root: rootRouteRef },
});
