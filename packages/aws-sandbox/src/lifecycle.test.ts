import {
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
  PutApprovalResultCommand,
} from '@aws-sdk/client-codepipeline';
import { CopyObjectCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import {
  CreateModelPackageCommand,
  DescribeEndpointCommand,
  DescribeModelPackageCommand,
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  ListTagsCommand,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import {
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import {
  clients,
  eventually,
  FRAUD_DEV,
  PROD,
  SHARED,
  TEST,
  TOOLING,
  useSandbox,
} from './__testUtils__/clients';
import { startFraudTraining } from './__testUtils__/trainingPipeline';

const DEPLOY_TIMEOUT_MS = 60_000;

/**
 * A model's whole lifecycle across the accounts, with AWS SDK calls only: train and
 * register in dev, approve, see the event, promote, approve centrally, deploy
 * to test, approve for prod, and find the prod endpoint InService. The deploy
 * pipeline is the suite's own bundle, seeded by the default scenario; its
 * build and integration test run for real.
 */
describe('the model lifecycle across accounts', () => {
  const sandbox = useSandbox();

  it(
    'takes a version from a dev pipeline run to a prod endpoint',
    async () => {
      const dev = clients(sandbox.current, FRAUD_DEV);
      const shared = clients(sandbox.current, SHARED);
      const tooling = clients(sandbox.current, TOOLING);
      const { QueueUrl } = await tooling.sqs.send(
        new GetQueueUrlCommand({ QueueName: 'ml-registry-events' }),
      );
      while (
        (
          await tooling.sqs.send(
            new ReceiveMessageCommand({
              QueueUrl,
              MaxNumberOfMessages: 10,
              VisibilityTimeout: 600,
            }),
          )
        ).Messages?.length
      );

      // 1. A pipeline run in the dev account registers the new version.
      const PipelineExecutionArn = await startFraudTraining(
        dev,
        'fraud-experiment',
      );
      await eventually(
        async () =>
          (
            await dev.sagemaker.send(
              new DescribePipelineExecutionCommand({ PipelineExecutionArn }),
            )
          ).PipelineExecutionStatus === 'Succeeded',
      );
      const steps = await dev.sagemaker.send(
        new ListPipelineExecutionStepsCommand({ PipelineExecutionArn }),
      );
      const devArn =
        steps.PipelineExecutionSteps![0].Metadata!.RegisterModel!.Arn!;

      // 2. The lead data scientist approves it in the dev registry.
      await dev.sagemaker.send(
        new UpdateModelPackageCommand({
          ModelPackageArn: devArn,
          ModelApprovalStatus: 'Approved',
          ApprovalDescription: 'Approved by user:default/leo.lead',
        }),
      );

      // 3. The state change reaches the queue Backstage reads.
      const event = await eventually(async () => {
        const { Messages = [] } = await tooling.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
          }),
        );
        for (const m of Messages)
          await tooling.sqs.send(
            new DeleteMessageCommand({
              QueueUrl,
              ReceiptHandle: m.ReceiptHandle,
            }),
          );
        return Messages.map(m => JSON.parse(m.Body!)).find(
          e =>
            e.detail.ModelPackageArn === devArn &&
            e.detail.ModelApprovalStatus === 'Approved',
        );
      });
      expect(event['detail-type']).toBe('SageMaker Model Package State Change');

      // 4. Promotion: copy the artifact to shared services and create the central package.
      const devPackage = await shared.sagemaker
        .send(new DescribeModelPackageCommand({ ModelPackageName: devArn }))
        .catch(e => e);
      expect(devPackage.name).toBe('AccessDeniedException');
      const source = await dev.sagemaker.send(
        new DescribeModelPackageCommand({ ModelPackageName: devArn }),
      );
      const artifact =
        source.InferenceSpecification!.Containers![0].ModelDataUrl!.replace(
          's3://',
          '',
        );
      const [devBucket] = artifact.split('/');
      await dev.s3.send(
        new PutBucketPolicyCommand({
          Bucket: devBucket,
          Policy: JSON.stringify({
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: SHARED },
                Action: 's3:GetObject',
                Resource: `arn:aws:s3:::${devBucket}/*`,
              },
            ],
          }),
        }),
      );
      const centralKey = `fraud-detection/${source.ModelPackageVersion}/model.tar.gz`;
      await shared.s3.send(
        new CopyObjectCommand({
          Bucket: 'ml-shared-artifacts-111111111111',
          Key: centralKey,
          CopySource: artifact,
        }),
      );
      const { ModelPackageArn: centralArn } = await shared.sagemaker.send(
        new CreateModelPackageCommand({
          ModelPackageGroupName: 'fraud-detection',
          ClientToken: `fraud-detection-${source.ModelPackageVersion}`,
          CustomerMetadataProperties: {
            ...source.CustomerMetadataProperties,
            'source-model-package-arn': devArn,
          },
          InferenceSpecification: {
            ...source.InferenceSpecification!,
            Containers: [
              {
                ...source.InferenceSpecification!.Containers![0],
                ModelDataUrl: `s3://ml-shared-artifacts-111111111111/${centralKey}`,
              },
            ],
          },
        }),
      );

      // 5. The ML engineer approves it in the central registry; the state change event's rule
      // starts the model's deploy pipeline, whose build resolves the group's newest Approved version.
      await shared.sagemaker.send(
        new UpdateModelPackageCommand({
          ModelPackageArn: centralArn,
          ModelApprovalStatus: 'Approved',
        }),
      );
      const run = await eventually(async () =>
        (
          await shared.codepipeline.send(
            new ListPipelineExecutionsCommand({
              pipelineName: 'fraud-detection-deploy',
            }),
          )
        ).pipelineExecutionSummaries?.find(
          e => e.trigger?.triggerType === 'CloudWatchEvent',
        ),
      );

      // 6. CloudFormation puts the test endpoint up in the test account, the integration test passes, the pipeline waits for governance.
      const token = await eventually(async () => {
        const state = await shared.codepipeline.send(
          new GetPipelineStateCommand({ name: 'fraud-detection-deploy' }),
        );
        const approval = state.stageStates?.find(
          s => s.stageName === 'GovernanceApproval',
        );
        return approval?.latestExecution?.pipelineExecutionId ===
          run.pipelineExecutionId
          ? approval?.actionStates?.[0].latestExecution?.token
          : undefined;
      }, DEPLOY_TIMEOUT_MS);
      const testEndpoint = await clients(sandbox.current, TEST).sagemaker.send(
        new DescribeEndpointCommand({ EndpointName: 'fraud-detection-test' }),
      );
      expect(testEndpoint.EndpointStatus).toBe('InService');
      const served = async (account: string, arn: string) =>
        (
          await clients(sandbox.current, account).sagemaker.send(
            new ListTagsCommand({ ResourceArn: arn }),
          )
        ).Tags?.find(t => t.Key === 'sagemaker:model-package-arn')?.Value;
      expect(await served(TEST, testEndpoint.EndpointArn!)).toBe(centralArn);

      // 7. The governance officer approves; the prod endpoint goes InService.
      await shared.codepipeline.send(
        new PutApprovalResultCommand({
          pipelineName: 'fraud-detection-deploy',
          stageName: 'GovernanceApproval',
          actionName: 'GovernanceApproval',
          token,
          result: {
            status: 'Approved',
            summary: 'Checklist complete: grace.governance',
          },
        }),
      );
      const prod = await eventually(async () => {
        const e = await clients(sandbox.current, PROD).sagemaker.send(
          new DescribeEndpointCommand({ EndpointName: 'fraud-detection-prod' }),
        );
        return e.EndpointStatus === 'InService' &&
          (await served(PROD, e.EndpointArn!)) === centralArn
          ? e
          : undefined;
      }, DEPLOY_TIMEOUT_MS);
      expect(prod.EndpointArn).toBe(
        `arn:aws:sagemaker:us-east-1:${PROD}:endpoint/fraud-detection-prod`,
      );
    },
    2 * DEPLOY_TIMEOUT_MS,
  );
});
