import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { AwsClientFactory } from './AwsClientFactory';

/**
 * The one AWS client factory of the ML platform's backend plugins and modules.
 * Replace it to change how clients are made (e.g. in tests).
 *
 * @public
 */
export const awsClientFactoryServiceRef = createServiceRef<AwsClientFactory>({
  id: 'ml-registry.aws-client-factory',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig },
      factory: ({ config }) => AwsClientFactory.fromConfig(config),
    }),
});
