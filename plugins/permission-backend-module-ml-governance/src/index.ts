/**
 * The ML governance permission policy: who may decide each approval gate, and
 * who may see and run which template.
 *
 * @packageDocumentation
 */
export { permissionModuleMlGovernance as default } from './module';
export { MlGovernancePolicy } from './MlGovernancePolicy';
export {
  DEFAULT_PLATFORM_ENGINEERS,
  readPlatformEngineers,
} from './platformEngineers';
export { DEFAULT_TEMPLATE_ACCESS, readTemplateAccess } from './templateAccess';
export type { TemplateAudience } from './templateAccess';
