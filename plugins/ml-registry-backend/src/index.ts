export { mlRegistryPlugin as default } from './plugin';
export { eventsModuleMlRegistryIngress } from './events/httpIngress';
export {
  mlModelVersionPermissionRules,
  mlModelVersionResourceRef,
} from './permissions/modelVersionRules';
export { sqsEventsModule } from './events/sqsEvents';
