import { mockServices } from '@backstage/backend-test-utils';
import { DefaultEventsService } from '@backstage/plugin-events-node';
import { SignalPayload } from '@backstage/plugin-signals-node';
import { ModelSignals } from './ModelSignals';

const DEV_V3 =
  'arn:aws:sagemaker:us-east-1:222222222222:model-package/fraud-detection/3';
const CENTRAL_V3 =
  'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud-detection/3';
const DEV_GROUP =
  'arn:aws:sagemaker:us-east-1:222222222222:model-package-group/fraud-detection';
const CENTRAL_GROUP =
  'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/fraud-detection';

function setUp(publish?: (signal: SignalPayload) => Promise<void>) {
  const sent: SignalPayload[] = [];
  const logger = mockServices.logger.mock();
  const signals = new ModelSignals({
    signals: {
      publish: publish ?? (async s => void sent.push(s as SignalPayload)),
    },
    logger,
  });
  const channels = () => sent.map(s => s.channel).sort();
  return { sent, channels, signals, logger };
}

describe('ModelSignals', () => {
  it("signals a decision on the dev and the central model's channels and on the awaiting channel, broadcast, with ARNs only", async () => {
    const { sent, channels, signals } = setUp();
    await signals.changed('decision', [DEV_V3, CENTRAL_V3, undefined]);
    expect(channels()).toEqual([
      'ml-registry:awaiting',
      `ml-registry:model:${CENTRAL_GROUP}`,
      `ml-registry:model:${DEV_GROUP}`,
    ]);
    for (const signal of sent) {
      expect(signal.recipients).toEqual({ type: 'broadcast' });
      expect(signal.message).toEqual({
        change: 'decision',
        arns: [DEV_V3, CENTRAL_V3],
      });
    }
  });

  it('signals a promoted version on its own model and on the model it came from, once each', async () => {
    const { channels, signals } = setUp();
    await signals.versionsChanged([
      { arn: CENTRAL_V3, sourceArn: DEV_V3 },
      { arn: DEV_V3 },
    ]);
    expect(channels()).toEqual([
      'ml-registry:awaiting',
      `ml-registry:model:${CENTRAL_GROUP}`,
      `ml-registry:model:${DEV_GROUP}`,
    ]);
  });

  it('sends nothing for what names no model', async () => {
    const { sent, signals } = setUp();
    await signals.changed('decision', [
      undefined,
      'arn:aws:s3:::bucket/key',
      'not an arn',
    ]);
    expect(sent).toEqual([]);
  });

  it('never fails the change it reports when a signal cannot be sent', async () => {
    const { signals, logger } = setUp(async () => {
      throw new Error('events bus down');
    });
    await expect(signals.changed('decision', [DEV_V3])).resolves.toBe(
      undefined,
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('events bus down'),
    );
  });

  it("signals each deploy pipeline's move on the deploys channel, and nothing for other events", async () => {
    const { channels, signals } = setUp();
    const events = DefaultEventsService.create({
      logger: mockServices.logger.mock(),
    });
    await signals.followDeploys(events, 'aws.ml-registry');
    await events.publish({
      topic: 'aws.ml-registry',
      eventPayload: {
        account: '111111111111',
        source: 'aws.codepipeline',
        'detail-type': 'CodePipeline Stage Execution State Change',
        resources: [
          'arn:aws:codepipeline:us-east-1:111111111111:fraud-detection-deploy',
        ],
        detail: { pipeline: 'fraud-detection-deploy', state: 'SUCCEEDED' },
      },
    });
    await events.publish({
      topic: 'aws.ml-registry',
      eventPayload: { source: 'somebody', 'detail-type': 'Other' },
    });
    expect(channels()).toEqual(['ml-registry:awaiting', 'ml-registry:deploys']);
  });
});
