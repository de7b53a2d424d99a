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
