/**
 * Types, config, permissions and annotations shared by the ML registry plugins.
 *
 * @packageDocumentation
 */
export * from './accounts';
export * from './annotations';
export * from './arn';
export * from './api';
export * from './coalescingRunner';
export * from './config';
export * from './gates';
export * from './permissions';
export * from './modelSignals';
export * from './schedulerPermission';
