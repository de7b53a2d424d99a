/**
 * The ML registry frontend plugin.
 *
 * @packageDocumentation
 */
export { mlRegistryPlugin as default } from './plugin';
export { mlRegistryApiRef } from './api/MlRegistryApi';
export { AwaitingMeSidebarItem } from './components/AwaitingMe/AwaitingMeSidebarItem';
export type { MlRegistryApi } from './api/MlRegistryApi';
export {
  mlRegistryLegacyPlugin,
  mlRegistryRootRouteRef,
  MlRegistryPage,
  EntityMlModelContent,
  EntityMlModelServerContent,
  MlAccountPickerFieldExtension,
} from './legacy';
export type {
  GateDecision,
  ModelsFilter,
  VersionsQuery,
} from './api/MlRegistryApi';
