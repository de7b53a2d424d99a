/**
 * A catalog module that brings the ML registry's models into the software catalog.
 *
 * @packageDocumentation
 */
export { catalogModuleMlRegistry as default } from './module';
export { MlRegistryEntityProvider } from './providers/MlRegistryEntityProvider';
