import { metrics } from '@opentelemetry/api';
import { z } from 'zod';

export const MODEL_PACKAGE_STATE_CHANGE =
  'SageMaker Model Package State Change';
/** Deploy pipelines change endpoints in the test and prod accounts, which send no events of their own. */
export const PIPELINE_STAGE_STATE_CHANGE =
  'CodePipeline Stage Execution State Change';
export const PIPELINE_ACTION_STATE_CHANGE =
  'CodePipeline Action Execution State Change';

// The envelope every event on a bus has, and the detail of the three kinds the registry acts on:
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
// https://docs.aws.amazon.com/codepipeline/latest/userguide/detect-state-changes-cloudwatch-events.html
const envelope = {
  account: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
  region: z.string().optional(),
  resources: z.array(z.string()).optional(),
};
// A pipeline name as CodePipeline allows it (CreatePipeline's PipelineName pattern in the service model).
const pipelineName = z
  .string()
  .regex(/^[A-Za-z0-9.@\-_]{1,100}$/, 'must be a CodePipeline pipeline name');

const awsEvent = z.discriminatedUnion('detail-type', [
  z.object({
    ...envelope,
    'detail-type': z.literal(MODEL_PACKAGE_STATE_CHANGE),
    source: z.literal('aws.sagemaker'),
    detail: z.looseObject({}),
  }),
  z.object({
    ...envelope,
    'detail-type': z.literal(PIPELINE_STAGE_STATE_CHANGE),
    source: z.literal('aws.codepipeline'),
    detail: z.looseObject({ pipeline: pipelineName, state: z.string() }),
  }),
  z.object({
    ...envelope,
    'detail-type': z.literal(PIPELINE_ACTION_STATE_CHANGE),
    source: z.literal('aws.codepipeline'),
    detail: z.looseObject({
      pipeline: pipelineName,
      state: z.string(),
      type: z.looseObject({ category: z.string() }).optional(),
    }),
  }),
]);

/** An EventBridge event of a kind the registry acts on. */
export type AwsEvent = z.infer<typeof awsEvent>;

/**
 * Reads an event payload as one of the EventBridge events the registry acts
 * on; anything else is refused with what was wrong, e.g.
 * `account: must be a 12-digit AWS account id`.
 */
export function parseAwsEvent(
  payload: unknown,
): { event: AwsEvent } | { problem: string } {
  const result = awsEvent.safeParse(payload);
  if (result.success) return { event: result.data };
  const issue = result.error.issues[0];
  if (
    issue.code === 'invalid_union' &&
    issue.path.join('.') === 'detail-type'
  ) {
    return {
      problem: `detail-type: must be one of '${MODEL_PACKAGE_STATE_CHANGE}', '${PIPELINE_STAGE_STATE_CHANGE}', '${PIPELINE_ACTION_STATE_CHANGE}'`,
    };
  }
  return { problem: `${issue.path.join('.') || 'body'}: ${issue.message}` };
}

/**
 * Counts events refused or ignored as not understood, by channel (`http`, `sqs`,
 * `topic`) and reason. Made when its user starts, so it reports to the meter
 * provider installed by then.
 */
export function refusedEventsCounter() {
  return metrics
    .getMeter('ml-registry')
    .createCounter('ml_registry.events.refused', {
      description:
        'Events refused before reaching the registry, by channel and reason',
    });
}
