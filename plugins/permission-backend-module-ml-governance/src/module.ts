import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { readMlPlatformConfig } from '@ml-governance/plugin-ml-registry-common';
import { MlGovernancePolicy } from './MlGovernancePolicy';
import { readPlatformEngineers } from './platformEngineers';
import { readTemplateAccess } from './templateAccess';

/**
 * The permission policy of the ML governance suite (replaces the allow-all policy).
 *
 * @public
 */
export const permissionModuleMlGovernance = createBackendModule({
  pluginId: 'permission',
  moduleId: 'ml-governance-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(
          new MlGovernancePolicy(readTemplateAccess(config), {
            accounts: readMlPlatformConfig(config).accounts,
            platformEngineers: readPlatformEngineers(config),
          }),
        );
      },
    });
  },
});
