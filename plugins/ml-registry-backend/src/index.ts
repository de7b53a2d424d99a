export { mlRegistryPlugin as default } from './plugin';
export { eventsModuleMlRegistryIngress } from './events/httpIngress';
