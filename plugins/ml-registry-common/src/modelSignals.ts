/**
 * What changed in a model: a version registered or its status changed, a
 * gate decided, a promotion step, a deploy's status, or a sync that read new
 * states.
 *
 * @public
 */
export type ModelChange = 'version' | 'decision' | 'promotion' | 'deploy';

/**
 * The message of a model's signal: what changed and the model package (or
 * group) ARNs it concerns. Pages showing the model read their data again on
 * it; the message carries no data of its own, so nobody sees through a
 * signal what they could not read.
 *
 * @public
 */
export type ModelSignal = {
  change: ModelChange;
  arns: string[];
};

/**
 * The signal channel of one model (a model package group), by its ARN: the
 * backend publishes each change of the model's state there, and pages
 * showing the model subscribe to it.
 *
 * @public
 */
export function modelSignalChannel(modelPackageGroupArn: string): string {
  return `ml-registry:model:${modelPackageGroupArn}`;
}

/**
 * The signal channel of the deploy pipelines' progress, which the backend
 * reads from AWS when a page asks, for pages showing a version's deploys.
 *
 * @public
 */
export const ML_REGISTRY_DEPLOYS_SIGNAL_CHANNEL = 'ml-registry:deploys';

/**
 * The signal channel of the decisions awaiting someone: a version came to
 * wait at a gate, or left it.
 *
 * @public
 */
export const ML_REGISTRY_AWAITING_SIGNAL_CHANNEL = 'ml-registry:awaiting';
