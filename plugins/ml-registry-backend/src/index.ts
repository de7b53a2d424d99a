/**
 * The ML registry backend plugin, its events modules, and the permission
 * rules and conditions of the approval gates for an organisation's own policy.
 *
 * @packageDocumentation
 */
export { mlRegistryPlugin as default } from './plugin';
export { eventsModuleMlRegistryIngress } from './events/httpIngress';
export {
  mlModelVersionPermissionRules,
  mlModelVersionResourceRef,
} from './permissions/modelVersionRules';
export type { MlModelVersionPermissionResource } from './permissions/modelVersionRules';
export {
  mlRegistryConditions,
  createMlRegistryConditionalDecision,
} from './permissions/conditionExports';
export { sqsEventsModule } from './events/sqsEvents';
export { guardedSchedulerServiceFactory } from './http/schedulerRoutesGuard';
export { quietTokenFailuresLoggerServiceFactory } from './http/quietTokenFailures';
export { quietRequestLogRootHttpRouterServiceFactory } from './http/requestLog';
