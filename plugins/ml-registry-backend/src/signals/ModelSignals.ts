import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  ML_REGISTRY_AWAITING_SIGNAL_CHANNEL,
  ML_REGISTRY_DEPLOYS_SIGNAL_CHANNEL,
  ModelChange,
  modelPackageGroupArnOf,
  modelSignalChannel,
  ModelSignal,
  parseModelPackageArn,
  parseModelPackageGroupArn,
} from '@ml-governance/plugin-ml-registry-common';
import { parseAwsEvent, PIPELINE_STAGE_STATE_CHANGE } from '../events/awsEvent';

/** The model package group of a version's or a group's ARN. */
function modelGroupOf(arn: string): string | undefined {
  const version = parseModelPackageArn(arn);
  if (version) return modelPackageGroupArnOf(version);
  return parseModelPackageGroupArn(arn) ? arn : undefined;
}

/**
 * Tells the pages that show a model that it changed, by a signal on the
 * model's channel (and on the channel of what awaits people's decisions):
 * pages read their data again on it, instead of polling. A version's change
 * is signalled on its own model and on the model it was promoted from, whose
 * page shows the gates that follow. Signals are broadcast and carry only
 * ARNs and what changed: each page reads the data with its user's rights.
 * A signal that cannot be sent never fails the change it reports.
 */
export class ModelSignals {
  constructor(
    private readonly options: {
      signals: SignalsService;
      logger: LoggerService;
    },
  ) {}

  /** The models of `arns` (versions or groups; undefined ones skipped) changed. */
  async changed(
    change: ModelChange,
    arns: (string | undefined)[],
  ): Promise<void> {
    const known = [...new Set(arns.filter((a): a is string => !!a))];
    const groups = new Set(
      known.map(modelGroupOf).filter((g): g is string => !!g),
    );
    if (groups.size === 0) return;
    const message: ModelSignal = { change, arns: known };
    await Promise.all([
      ...[...groups].map(group =>
        this.publish(modelSignalChannel(group), message),
      ),
      this.publish(ML_REGISTRY_AWAITING_SIGNAL_CHANNEL, message),
    ]);
  }

  /** Versions the sync or a promotion read in a new state, new ones included. */
  async versionsChanged(
    versions: { arn: string; sourceArn?: string }[],
  ): Promise<void> {
    await this.changed(
      'version',
      versions.flatMap(v => [v.arn, v.sourceArn]),
    );
  }

  /**
   * Signals each move of a deploy pipeline reported on the AWS events topic,
   * for the deploy and governance cards, which read the pipeline's state
   * from AWS when asked; each stage's change of status is one info line.
   */
  async followDeploys(events: EventsService, topic: string): Promise<void> {
    await events.subscribe({
      id: 'ml-registry-signals',
      topics: [topic],
      onEvent: async ({ eventPayload }) => {
        const parsed = parseAwsEvent(eventPayload);
        if ('problem' in parsed || parsed.event.source !== 'aws.codepipeline')
          return;
        if (parsed.event['detail-type'] === PIPELINE_STAGE_STATE_CHANGE) {
          const { pipeline, stage, state } = parsed.event.detail;
          const execution = parsed.event.detail['execution-id'];
          this.options.logger.info(
            `Deploy pipeline ${pipeline}: stage ${stage} ${state} (execution ${execution})`,
          );
        }
        const message = {
          change: 'deploy',
          arns: parsed.event.resources ?? [],
        } satisfies ModelSignal;
        await Promise.all([
          this.publish(ML_REGISTRY_DEPLOYS_SIGNAL_CHANNEL, message),
          this.publish(ML_REGISTRY_AWAITING_SIGNAL_CHANNEL, message),
        ]);
      },
    });
  }

  private async publish(channel: string, message: ModelSignal): Promise<void> {
    try {
      await this.options.signals.publish({
        recipients: { type: 'broadcast' },
        channel,
        message,
      });
    } catch (e) {
      this.options.logger.warn(
        `Could not signal a ${message.change} change on ${channel}: ${e}`,
      );
    }
  }
}
