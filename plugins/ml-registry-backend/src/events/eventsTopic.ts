import { Config } from '@backstage/config';

/** The events topic that carries EventBridge events to the registry (`mlRegistry.eventsTopic`). */
export function readEventsTopic(config: Config): string {
  return config.getOptionalString('mlRegistry.eventsTopic') ?? 'ml-registry';
}
