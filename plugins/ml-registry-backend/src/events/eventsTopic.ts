import { Config } from '@backstage/config';
import { ML_REGISTRY_BACKEND_DEFAULTS } from '../config/defaults';

/** The events topic that carries EventBridge events to the registry (`mlRegistry.eventsTopic`). */
export function readEventsTopic(config: Config): string {
  return (
    config.getOptionalString('mlRegistry.eventsTopic') ??
    ML_REGISTRY_BACKEND_DEFAULTS.eventsTopic
  );
}
