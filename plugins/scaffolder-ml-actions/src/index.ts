/***/
/**
 * The ml-actions backend module for the scaffolder plugin.
 *
 * @packageDocumentation
 */

export { scaffolderModuleMlActions as default } from './module';
