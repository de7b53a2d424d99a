export { mlRegistryPlugin as default } from './plugin';
