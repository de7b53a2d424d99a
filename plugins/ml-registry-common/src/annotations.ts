/**
 * The prefix of every annotation this suite writes on its own entities.
 *
 * @public
 */
export const ML_ANNOTATION_PREFIX = 'ml-governance.io';

/** @public */
export const ANNOTATION_ACCOUNT_ID = `${ML_ANNOTATION_PREFIX}/account-id`;
/** @public */
export const ANNOTATION_ACCOUNT_STAGE = `${ML_ANNOTATION_PREFIX}/account-stage`;
/**
 * The ARN of the AWS resource behind an entity, shared with other AWS plugins.
 *
 * @public
 */
export const ANNOTATION_AWS_ARN = 'aws.amazon.com/arn';

/**
 * On an ai-model entity: the newest version in its registry.
 *
 * @public
 */
export const ANNOTATION_LATEST_VERSION = `${ML_ANNOTATION_PREFIX}/latest-version`;
/**
 * On an ai-model entity: the newest approved version in its registry.
 *
 * @public
 */
export const ANNOTATION_LATEST_APPROVED_VERSION = `${ML_ANNOTATION_PREFIX}/latest-approved-version`;
/**
 * On a model-server entity: the model package ARN the endpoint serves.
 *
 * @public
 */
export const ANNOTATION_MODEL_PACKAGE_ARN = `${ML_ANNOTATION_PREFIX}/model-package-arn`;
/**
 * On a dataset entity: where the data is, e.g. s3://bucket/prefix/,
 * athena://account/database.table, datazone://domain/asset or a feature group ARN.
 *
 * @public
 */
export const ANNOTATION_DATA_SOURCE = `${ML_ANNOTATION_PREFIX}/data-source`;

/**
 * The events topic on which the ML registry backend says its catalog entities
 * changed, so the catalog module refreshes them at once rather than on its schedule.
 *
 * @public
 */
export const ML_REGISTRY_ENTITIES_TOPIC = 'ml-registry.entities-changed';

/**
 * On a Template: who may see and run it, as an audience configured under
 * `mlRegistry.templateAccess` (ml-admin, ml-experiment, ml-deploy by default).
 *
 * @public
 */
export const ANNOTATION_TEMPLATE_AUDIENCE = `${ML_ANNOTATION_PREFIX}/template-audience`;

/**
 * What an audience is named with: lower-case letters, digits and dashes.
 *
 * @public
 */
export const TEMPLATE_AUDIENCE_NAME = /^[a-z0-9][a-z0-9-]*$/;
