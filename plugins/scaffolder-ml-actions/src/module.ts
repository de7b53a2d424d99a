import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { awsClientFactoryServiceRef } from '@ml-governance/plugin-ml-registry-node';
import { createDeployPipelineAction } from './actions/createDeployPipeline';
import { createDomainAction } from './actions/createDomain';
import { createModelPackageGroupAction } from './actions/createModelPackageGroup';
import { createProjectAction } from './actions/createProject';
import { createUserProfileAction } from './actions/createUserProfile';
import { createProvisionProductAction } from './actions/provisionProduct';
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
        clients: awsClientFactoryServiceRef,
      },
      async init({ config, scaffolder, clients }) {
        scaffolder.addActions(
          createResolveAccountAction({ config }),
          createDomainAction({ config, clients }),
          createUserProfileAction({ config, clients }),
          createModelPackageGroupAction({ config, clients }),
          createProjectAction({ config, clients }),
          createDeployPipelineAction({ config, clients }),
          createProvisionProductAction({ config, clients }),
        );
      },
    });
  },
});
