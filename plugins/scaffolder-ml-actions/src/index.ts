/**
 * Scaffolder actions that provision the ML platform on AWS.
 *
 * @packageDocumentation
 */
export { scaffolderModuleMlActions as default } from './module';
export { createResolveAccountAction } from './actions/resolveAccount';
