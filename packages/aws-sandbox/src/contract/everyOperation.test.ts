import * as codebuild from '@aws-sdk/client-codebuild';
import * as codepipeline from '@aws-sdk/client-codepipeline';
import * as ecr from '@aws-sdk/client-ecr';
import * as eventbridge from '@aws-sdk/client-eventbridge';
import * as s3 from '@aws-sdk/client-s3';
import * as sagemaker from '@aws-sdk/client-sagemaker';
import * as servicecatalog from '@aws-sdk/client-service-catalog';
import * as sqs from '@aws-sdk/client-sqs';
import * as sts from '@aws-sdk/client-sts';
import {
  clients,
  eventually,
  FRAUD_DEV,
  SHARED,
  TEST,
  TOOLING,
  useSandbox,
} from '../__testUtils__/clients';
import { approvalPipeline } from '../__testUtils__/approvalPipeline';
import { JSON_SERVICES } from '../server';
import { operationModel } from './model';
import { S3_OPERATIONS } from '../services/s3';
import { stsOperations } from '../services/sts';

/**
 * Every operation the sandbox serves, called once through the real SDK client
 * with a valid request. The sandbox holds each response to the operation's
 * output shape (checkResponses is on in tests), so a response with a member
 * AWS's model does not define, a required member missing, a wrong type or a
 * value outside an enum fails its call here with a 500 naming the member.
 */

type Sdk = ReturnType<typeof clients> & {
  codebuild: codebuild.CodeBuildClient;
  ecr: ecr.ECRClient;
};

/** What one call learns for the next: ARNs, ids, tokens. */
type Found = Record<string, any>;

type Call = (sdk: (account: string) => Sdk, found: Found) => Promise<unknown>;

const GROUP = 'contract-walk';
const DEV_BUCKET = `sagemaker-us-east-1-${FRAUD_DEV}`;
const EXECUTION_ROLE = `arn:aws:iam::${FRAUD_DEV}:role/sagemaker-execution`;

const DEFINITION = JSON.stringify({
  Version: '2020-12-01',
  Parameters: [
    {
      Name: 'InputDataUrl',
      Type: 'String',
      DefaultValue: `s3://${DEV_BUCKET}/datasets/walk/`,
    },
  ],
  Steps: [
    {
      Name: 'Preprocess',
      Type: 'Processing',
      Arguments: {
        ProcessingResources: {
          ClusterConfig: {
            InstanceCount: 1,
            InstanceType: 'ml.m5.xlarge',
            VolumeSizeInGB: 30,
          },
        },
        AppSpecification: {
          ImageUri:
            '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
        },
        RoleArn: EXECUTION_ROLE,
      },
    },
  ],
});

const PROJECT_TEMPLATE = JSON.stringify({
  Parameters: {
    SageMakerProjectName: { Type: 'String' },
    SageMakerProjectId: { Type: 'String' },
  },
  Resources: {},
});

/** In the order they run: each call may use what earlier ones found. */
const CALLS: Record<string, Call> = {
  'sts:GetCallerIdentity': sdk =>
    sdk(FRAUD_DEV).sts.send(new sts.GetCallerIdentityCommand({})),
  'sts:AssumeRole': sdk =>
    sdk(TOOLING).sts.send(
      new sts.AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${SHARED}:role/backstage-ml`,
        RoleSessionName: 'contract-walk',
        DurationSeconds: 900,
      }),
    ),

  's3:CreateBucket': sdk =>
    sdk(FRAUD_DEV).s3.send(
      new s3.CreateBucketCommand({ Bucket: 'contract-walk-data' }),
    ),
  's3:PutBucketPolicy': sdk =>
    sdk(FRAUD_DEV).s3.send(
      new s3.PutBucketPolicyCommand({
        Bucket: 'contract-walk-data',
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: SHARED },
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::contract-walk-data/*',
            },
          ],
        }),
      }),
    ),
  's3:GetBucketPolicy': sdk =>
    sdk(FRAUD_DEV).s3.send(
      new s3.GetBucketPolicyCommand({ Bucket: 'contract-walk-data' }),
    ),
  's3:PutObject': sdk =>
    sdk(FRAUD_DEV).s3.send(
      new s3.PutObjectCommand({
        Bucket: 'contract-walk-data',
        Key: 'templates/project.json',
        Body: PROJECT_TEMPLATE,
        ContentType: 'application/json',
      }),
    ),
  's3:HeadObject': sdk =>
    sdk(FRAUD_DEV).s3.send(
      new s3.HeadObjectCommand({
        Bucket: 'contract-walk-data',
        Key: 'templates/project.json',
      }),
    ),
  's3:GetObject': async sdk => {
    const object = await sdk(FRAUD_DEV).s3.send(
      new s3.GetObjectCommand({
        Bucket: 'contract-walk-data',
        Key: 'templates/project.json',
      }),
    );
    return object.Body?.transformToString();
  },
  's3:CopyObject': sdk =>
    sdk(FRAUD_DEV).s3.send(
      new s3.CopyObjectCommand({
        Bucket: 'contract-walk-data',
        Key: 'templates/copy.json',
        CopySource: 'contract-walk-data/templates/project.json',
      }),
    ),
  's3:ListObjectsV2': sdk =>
    sdk(FRAUD_DEV).s3.send(
      new s3.ListObjectsV2Command({
        Bucket: 'contract-walk-data',
        Prefix: 'templates/',
        MaxKeys: 1,
      }),
    ),

  'sagemaker:CreateModelPackageGroup': async sdk => {
    await sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.CreateModelPackageGroupCommand({
        ModelPackageGroupName: `${GROUP}-empty`,
      }),
    );
    return sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.CreateModelPackageGroupCommand({
        ModelPackageGroupName: GROUP,
        ModelPackageGroupDescription: 'The contract walk',
        Tags: [{ Key: 'team', Value: 'fraud' }],
      }),
    );
  },
  'sagemaker:DescribeModelPackageGroup': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.DescribeModelPackageGroupCommand({
        ModelPackageGroupName: GROUP,
      }),
    ),
  'sagemaker:ListModelPackageGroups': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.ListModelPackageGroupsCommand({ MaxResults: 10 }),
    ),
  'sagemaker:DeleteModelPackageGroup': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.DeleteModelPackageGroupCommand({
        ModelPackageGroupName: `${GROUP}-empty`,
      }),
    ),
  'sagemaker:PutModelPackageGroupPolicy': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.PutModelPackageGroupPolicyCommand({
        ModelPackageGroupName: GROUP,
        ResourcePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${SHARED}:root` },
              Action: ['sagemaker:DescribeModelPackage'],
              Resource: `arn:aws:sagemaker:us-east-1:${FRAUD_DEV}:model-package/${GROUP}/*`,
            },
          ],
        }),
      }),
    ),
  'sagemaker:GetModelPackageGroupPolicy': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.GetModelPackageGroupPolicyCommand({
        ModelPackageGroupName: GROUP,
      }),
    ),
  'sagemaker:CreateModelPackage': async (sdk, found) => {
    const { ModelPackageArn } = await sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.CreateModelPackageCommand({
        ModelPackageGroupName: GROUP,
        ModelApprovalStatus: 'PendingManualApproval',
        ModelPackageDescription: 'walk v1',
        InferenceSpecification: {
          Containers: [
            {
              Image:
                '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
              ModelDataUrl: `s3://${DEV_BUCKET}/walk/model.tar.gz`,
            },
          ],
          SupportedContentTypes: ['text/csv'],
          SupportedResponseMIMETypes: ['text/csv'],
        },
        CustomerMetadataProperties: { accuracy: '0.93' },
      }),
    );
    found.modelPackageArn = ModelPackageArn;
  },
  'sagemaker:DescribeModelPackage': (sdk, found) =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.DescribeModelPackageCommand({
        ModelPackageName: found.modelPackageArn,
      }),
    ),
  'sagemaker:BatchDescribeModelPackage': (sdk, found) =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.BatchDescribeModelPackageCommand({
        ModelPackageArnList: [found.modelPackageArn],
      }),
    ),
  'sagemaker:ListModelPackages': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.ListModelPackagesCommand({
        ModelPackageGroupName: GROUP,
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
      }),
    ),
  'sagemaker:UpdateModelPackage': (sdk, found) =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.UpdateModelPackageCommand({
        ModelPackageArn: found.modelPackageArn,
        ModelApprovalStatus: 'Approved',
        ApprovalDescription: 'walk approves',
      }),
    ),
  'sagemaker:Search': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.SearchCommand({
        Resource: 'ModelPackage',
        SearchExpression: {
          Filters: [
            { Name: 'ModelPackageGroupName', Operator: 'Equals', Value: GROUP },
          ],
        },
        SortBy: 'LastModifiedTime',
        SortOrder: 'Descending',
      }),
    ),
  'sagemaker:AddTags': (sdk, found) =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.AddTagsCommand({
        ResourceArn: found.modelPackageArn,
        Tags: [{ Key: 'stage', Value: 'dev' }],
      }),
    ),
  'sagemaker:ListTags': (sdk, found) =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.ListTagsCommand({ ResourceArn: found.modelPackageArn }),
    ),

  'sagemaker:CreateModelCard': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.CreateModelCardCommand({
        ModelCardName: GROUP,
        ModelCardStatus: 'Draft',
        Content: JSON.stringify({
          model_overview: { model_description: 'The contract walk' },
        }),
      }),
    ),
  'sagemaker:DescribeModelCard': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.DescribeModelCardCommand({ ModelCardName: GROUP }),
    ),
  'sagemaker:UpdateModelCard': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.UpdateModelCardCommand({
        ModelCardName: GROUP,
        ModelCardStatus: 'PendingReview',
      }),
    ),
  'sagemaker:ListModelCards': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(new sagemaker.ListModelCardsCommand({})),
  'sagemaker:ListModelCardVersions': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.ListModelCardVersionsCommand({ ModelCardName: GROUP }),
    ),

  'sagemaker:CreateDomain': async (sdk, found) => {
    const domain = (name: string) =>
      sdk(FRAUD_DEV).sagemaker.send(
        new sagemaker.CreateDomainCommand({
          DomainName: name,
          AuthMode: 'IAM',
          VpcId: 'vpc-0a1b2c3d',
          SubnetIds: ['subnet-0a1b2c3d'],
          DefaultUserSettings: { ExecutionRole: EXECUTION_ROLE },
        }),
      );
    found.domainId = (await domain('contract-walk')).DomainId;
    found.emptyDomainId = (await domain('contract-walk-empty')).DomainId;
  },
  'sagemaker:DescribeDomain': (sdk, found) =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.DescribeDomainCommand({ DomainId: found.domainId }),
    ),
  'sagemaker:ListDomains': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(new sagemaker.ListDomainsCommand({})),
  'sagemaker:CreateUserProfile': (sdk, found) =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.CreateUserProfileCommand({
        DomainId: found.domainId,
        UserProfileName: 'walker',
      }),
    ),
  'sagemaker:DescribeUserProfile': (sdk, found) =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.DescribeUserProfileCommand({
        DomainId: found.domainId,
        UserProfileName: 'walker',
      }),
    ),
  'sagemaker:DeleteDomain': (sdk, found) =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.DeleteDomainCommand({ DomainId: found.emptyDomainId }),
    ),

  'sagemaker:CreateProject': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.CreateProjectCommand({
        ProjectName: GROUP,
        ProjectDescription: 'The contract walk',
        TemplateProviders: [
          {
            CfnTemplateProvider: {
              TemplateName: 'walk',
              TemplateURL:
                'https://contract-walk-data.s3.us-east-1.amazonaws.com/templates/project.json',
            },
          },
        ],
      }),
    ),
  'sagemaker:DescribeProject': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.DescribeProjectCommand({ ProjectName: GROUP }),
    ),
  'sagemaker:ListProjects': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(new sagemaker.ListProjectsCommand({})),

  'sagemaker:CreatePipeline': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.CreatePipelineCommand({
        PipelineName: GROUP,
        PipelineDefinition: DEFINITION,
        RoleArn: EXECUTION_ROLE,
        ClientRequestToken: 'contract-walk-pipeline-0000000000000000',
      }),
    ),
  'sagemaker:DescribePipeline': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.DescribePipelineCommand({ PipelineName: GROUP }),
    ),
  'sagemaker:StartPipelineExecution': async (sdk, found) => {
    const { PipelineExecutionArn } = await sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.StartPipelineExecutionCommand({
        PipelineName: GROUP,
        ClientRequestToken: 'contract-walk-execution-000000000000000',
      }),
    );
    found.executionArn = PipelineExecutionArn;
  },
  'sagemaker:DescribePipelineExecution': (sdk, found) =>
    eventually(async () => {
      const execution = await sdk(FRAUD_DEV).sagemaker.send(
        new sagemaker.DescribePipelineExecutionCommand({
          PipelineExecutionArn: found.executionArn,
        }),
      );
      return execution.PipelineExecutionStatus !== 'Executing' || undefined;
    }),
  'sagemaker:ListPipelineExecutions': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.ListPipelineExecutionsCommand({ PipelineName: GROUP }),
    ),
  'sagemaker:ListPipelineExecutionSteps': (sdk, found) =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.ListPipelineExecutionStepsCommand({
        PipelineExecutionArn: found.executionArn,
      }),
    ),
  'sagemaker:UpdatePipeline': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.UpdatePipelineCommand({
        PipelineName: GROUP,
        PipelineDisplayName: 'walk',
      }),
    ),
  // The model takes only lineage entity ARNs (artifact, action, context, …) as a filter here.
  'sagemaker:ListAssociations': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(new sagemaker.ListAssociationsCommand({})),

  'sagemaker:CreateModel': (sdk, found) =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.CreateModelCommand({
        ModelName: GROUP,
        ExecutionRoleArn: EXECUTION_ROLE,
        PrimaryContainer: { ModelPackageName: found.modelPackageArn },
      }),
    ),
  'sagemaker:DescribeModel': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.DescribeModelCommand({ ModelName: GROUP }),
    ),
  'sagemaker:CreateEndpointConfig': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.CreateEndpointConfigCommand({
        EndpointConfigName: GROUP,
        ProductionVariants: [
          {
            VariantName: 'AllTraffic',
            ModelName: GROUP,
            InitialInstanceCount: 1,
            InstanceType: 'ml.m5.large',
          },
        ],
      }),
    ),
  'sagemaker:DescribeEndpointConfig': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.DescribeEndpointConfigCommand({
        EndpointConfigName: GROUP,
      }),
    ),
  'sagemaker:CreateEndpoint': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.CreateEndpointCommand({
        EndpointName: GROUP,
        EndpointConfigName: GROUP,
      }),
    ),
  'sagemaker:UpdateEndpoint': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.UpdateEndpointCommand({
        EndpointName: GROUP,
        EndpointConfigName: GROUP,
      }),
    ),
  'sagemaker:DescribeEndpoint': sdk =>
    sdk(FRAUD_DEV).sagemaker.send(
      new sagemaker.DescribeEndpointCommand({ EndpointName: GROUP }),
    ),
  'sagemaker:ListEndpoints': sdk =>
    sdk(TEST).sagemaker.send(
      new sagemaker.ListEndpointsCommand({
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
      }),
    ),

  'servicecatalog:ListPortfolios': sdk =>
    sdk(SHARED).servicecatalog.send(
      new servicecatalog.ListPortfoliosCommand({}),
    ),
  'servicecatalog:SearchProducts': sdk =>
    sdk(SHARED).servicecatalog.send(
      new servicecatalog.SearchProductsCommand({
        Filters: { FullTextSearch: ['domain'] },
      }),
    ),
  'servicecatalog:SearchProductsAsAdmin': sdk =>
    sdk(SHARED).servicecatalog.send(
      new servicecatalog.SearchProductsAsAdminCommand({
        PortfolioId: 'port-mladmin0001',
      }),
    ),
  'servicecatalog:DescribeProduct': sdk =>
    sdk(SHARED).servicecatalog.send(
      new servicecatalog.DescribeProductCommand({ Id: 'prod-smdomain0001' }),
    ),
  'servicecatalog:DescribeProvisioningParameters': sdk =>
    sdk(SHARED).servicecatalog.send(
      new servicecatalog.DescribeProvisioningParametersCommand({
        ProductId: 'prod-smdomain0001',
      }),
    ),
  'servicecatalog:ProvisionProduct': async (sdk, found) => {
    const { RecordDetail } = await sdk(SHARED).servicecatalog.send(
      new servicecatalog.ProvisionProductCommand({
        ProductId: 'prod-smdomain0001',
        ProvisionedProductName: 'contract-walk-domain',
        ProvisionToken: 'contract-walk',
        ProvisioningParameters: [{ Key: 'DomainName', Value: 'contract-walk' }],
      }),
    );
    found.recordId = RecordDetail?.RecordId;
  },
  'servicecatalog:DescribeRecord': (sdk, found) =>
    eventually(async () => {
      const { RecordDetail } = await sdk(SHARED).servicecatalog.send(
        new servicecatalog.DescribeRecordCommand({ Id: found.recordId }),
      );
      return RecordDetail?.Status === 'SUCCEEDED' || undefined;
    }),
  'servicecatalog:SearchProvisionedProducts': sdk =>
    sdk(SHARED).servicecatalog.send(
      new servicecatalog.SearchProvisionedProductsCommand({}),
    ),

  'events:PutRule': sdk =>
    sdk(FRAUD_DEV).events.send(
      new eventbridge.PutRuleCommand({
        Name: 'contract-walk',
        EventPattern: JSON.stringify({ source: ['contract.walk'] }),
        State: 'ENABLED',
      }),
    ),
  'events:PutTargets': sdk =>
    sdk(FRAUD_DEV).events.send(
      new eventbridge.PutTargetsCommand({
        Rule: 'contract-walk',
        Targets: [
          {
            Id: 'backstage',
            Arn: `arn:aws:events:us-east-1:${TOOLING}:event-bus/default`,
          },
        ],
      }),
    ),
  'events:ListRules': sdk =>
    sdk(FRAUD_DEV).events.send(
      new eventbridge.ListRulesCommand({ NamePrefix: 'contract' }),
    ),
  'events:ListTargetsByRule': sdk =>
    sdk(FRAUD_DEV).events.send(
      new eventbridge.ListTargetsByRuleCommand({ Rule: 'contract-walk' }),
    ),
  'events:PutEvents': sdk =>
    sdk(FRAUD_DEV).events.send(
      new eventbridge.PutEventsCommand({
        Entries: [
          {
            Source: 'contract.walk',
            DetailType: 'Contract Walk',
            Detail: JSON.stringify({ step: 1 }),
          },
        ],
      }),
    ),

  'sqs:CreateQueue': async (sdk, found) => {
    found.queueUrl = (
      await sdk(TOOLING).sqs.send(
        new sqs.CreateQueueCommand({
          QueueName: 'contract-walk',
          Attributes: { VisibilityTimeout: '30' },
        }),
      )
    ).QueueUrl;
  },
  'sqs:GetQueueUrl': sdk =>
    sdk(TOOLING).sqs.send(
      new sqs.GetQueueUrlCommand({ QueueName: 'contract-walk' }),
    ),
  'sqs:GetQueueAttributes': (sdk, found) =>
    sdk(TOOLING).sqs.send(
      new sqs.GetQueueAttributesCommand({
        QueueUrl: found.queueUrl,
        AttributeNames: ['All'],
      }),
    ),
  'sqs:SendMessage': async (sdk, found) => {
    for (const body of ['one', 'two']) {
      await sdk(TOOLING).sqs.send(
        new sqs.SendMessageCommand({
          QueueUrl: found.queueUrl,
          MessageBody: body,
        }),
      );
    }
  },
  'sqs:ReceiveMessage': async (sdk, found) => {
    const { Messages } = await sdk(TOOLING).sqs.send(
      new sqs.ReceiveMessageCommand({
        QueueUrl: found.queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    found.receipts = Messages?.map(m => m.ReceiptHandle);
  },
  'sqs:DeleteMessage': (sdk, found) =>
    sdk(TOOLING).sqs.send(
      new sqs.DeleteMessageCommand({
        QueueUrl: found.queueUrl,
        ReceiptHandle: found.receipts[0],
      }),
    ),
  'sqs:DeleteMessageBatch': (sdk, found) =>
    sdk(TOOLING).sqs.send(
      new sqs.DeleteMessageBatchCommand({
        QueueUrl: found.queueUrl,
        Entries: found.receipts
          .slice(1)
          .map((ReceiptHandle: string, i: number) => ({
            Id: `m${i}`,
            ReceiptHandle,
          })),
      }),
    ),

  'codepipeline:ListPipelines': sdk =>
    sdk(SHARED).codepipeline.send(new codepipeline.ListPipelinesCommand({})),
  'codepipeline:GetPipeline': async (sdk, found) => {
    const { pipelines } = await sdk(SHARED).codepipeline.send(
      new codepipeline.ListPipelinesCommand({}),
    );
    found.seeded = (
      await sdk(SHARED).codepipeline.send(
        new codepipeline.GetPipelineCommand({ name: pipelines![0].name }),
      )
    ).pipeline;
  },
  // A pipeline of its own, an S3 source and a manual approval, so the walk does not hang on the deploy pipeline's run.
  'codepipeline:CreatePipeline': async (sdk, found) => {
    await sdk(SHARED).s3.send(
      new s3.PutObjectCommand({
        Bucket: found.seeded.artifactStore.location,
        Key: 'contract-walk/source.zip',
        Body: 'PK',
      }),
    );
    found.walkPipeline = approvalPipeline('contract-walk', found.seeded);
    return sdk(SHARED).codepipeline.send(
      new codepipeline.CreatePipelineCommand({ pipeline: found.walkPipeline }),
    );
  },
  'codepipeline:UpdatePipeline': (sdk, found) => {
    const [source, approve] = found.walkPipeline.stages;
    const withData = {
      ...approve,
      actions: [
        {
          ...approve.actions[0],
          configuration: { CustomData: 'The contract walk' },
        },
      ],
    };
    return sdk(SHARED).codepipeline.send(
      new codepipeline.UpdatePipelineCommand({
        pipeline: { ...found.walkPipeline, stages: [source, withData] },
      }),
    );
  },
  'codepipeline:StartPipelineExecution': async (sdk, found) => {
    found.pipelineExecutionId = (
      await sdk(SHARED).codepipeline.send(
        new codepipeline.StartPipelineExecutionCommand({
          name: 'contract-walk',
        }),
      )
    ).pipelineExecutionId;
  },
  'codepipeline:GetPipelineState': sdk =>
    sdk(SHARED).codepipeline.send(
      new codepipeline.GetPipelineStateCommand({ name: 'contract-walk' }),
    ),
  'codepipeline:ListPipelineExecutions': sdk =>
    sdk(SHARED).codepipeline.send(
      new codepipeline.ListPipelineExecutionsCommand({
        pipelineName: 'contract-walk',
      }),
    ),
  'codepipeline:GetPipelineExecution': (sdk, found) =>
    sdk(SHARED).codepipeline.send(
      new codepipeline.GetPipelineExecutionCommand({
        pipelineName: 'contract-walk',
        pipelineExecutionId: found.pipelineExecutionId,
      }),
    ),
  'codepipeline:PutApprovalResult': async sdk => {
    const token = await eventually(async () => {
      const { stageStates } = await sdk(SHARED).codepipeline.send(
        new codepipeline.GetPipelineStateCommand({ name: 'contract-walk' }),
      );
      return stageStates?.[1].actionStates?.[0].latestExecution?.token;
    });
    return sdk(SHARED).codepipeline.send(
      new codepipeline.PutApprovalResultCommand({
        pipelineName: 'contract-walk',
        stageName: 'Approve',
        actionName: 'Approve',
        token,
        result: { status: 'Approved', summary: 'The contract walk approves' },
      }),
    );
  },
  'codepipeline:ListActionExecutions': (sdk, found) =>
    sdk(SHARED).codepipeline.send(
      new codepipeline.ListActionExecutionsCommand({
        pipelineName: 'contract-walk',
        filter: { pipelineExecutionId: found.pipelineExecutionId },
      }),
    ),
  // A second run, stopped at its approval (abandoning it) and then retried from there.
  'codepipeline:StopPipelineExecution': async (sdk, found) => {
    const { pipelineExecutionId } = await sdk(SHARED).codepipeline.send(
      new codepipeline.StartPipelineExecutionCommand({ name: 'contract-walk' }),
    );
    found.stoppedExecutionId = pipelineExecutionId;
    await eventually(async () => {
      const { stageStates } = await sdk(SHARED).codepipeline.send(
        new codepipeline.GetPipelineStateCommand({ name: 'contract-walk' }),
      );
      const approve = stageStates?.[1];
      return (
        approve?.latestExecution?.pipelineExecutionId === pipelineExecutionId &&
        approve?.actionStates?.[0].latestExecution?.token
      );
    });
    return sdk(SHARED).codepipeline.send(
      new codepipeline.StopPipelineExecutionCommand({
        pipelineName: 'contract-walk',
        pipelineExecutionId,
        abandon: true,
        reason: 'The contract walk stops',
      }),
    );
  },
  'codepipeline:RetryStageExecution': (sdk, found) =>
    sdk(SHARED).codepipeline.send(
      new codepipeline.RetryStageExecutionCommand({
        pipelineName: 'contract-walk',
        stageName: 'Approve',
        pipelineExecutionId: found.stoppedExecutionId,
        retryMode: 'FAILED_ACTIONS',
      }),
    ),

  'codebuild:CreateProject': sdk =>
    sdk(SHARED).codebuild.send(
      new codebuild.CreateProjectCommand({
        name: 'contract-walk',
        source: {
          type: 'NO_SOURCE',
          buildspec:
            'version: 0.2\nphases:\n  build:\n    commands:\n      - echo walking\n',
        },
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: {
          type: 'LINUX_CONTAINER',
          image: 'aws/codebuild/standard:7.0',
          computeType: 'BUILD_GENERAL1_SMALL',
        },
        serviceRole: `arn:aws:iam::${SHARED}:role/ml-deploy-codebuild`,
      }),
    ),
  'codebuild:BatchGetProjects': sdk =>
    sdk(SHARED).codebuild.send(
      new codebuild.BatchGetProjectsCommand({ names: ['contract-walk'] }),
    ),
  'codebuild:StartBuild': async (sdk, found) => {
    const { build } = await sdk(SHARED).codebuild.send(
      new codebuild.StartBuildCommand({ projectName: 'contract-walk' }),
    );
    found.buildId = build?.id;
  },
  'codebuild:BatchGetBuilds': (sdk, found) =>
    eventually(async () => {
      const { builds } = await sdk(SHARED).codebuild.send(
        new codebuild.BatchGetBuildsCommand({ ids: [found.buildId] }),
      );
      return builds?.[0]?.buildComplete || undefined;
    }),

  'ecr:SetRepositoryPolicy': sdk =>
    sdk(FRAUD_DEV).ecr.send(
      new ecr.SetRepositoryPolicyCommand({
        repositoryName: 'fraud-scoring',
        policyText: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: [SHARED] },
              Action: ['ecr:BatchGetImage'],
            },
          ],
        }),
      }),
    ),
  'ecr:BatchGetImage': sdk =>
    sdk(SHARED).ecr.send(
      new ecr.BatchGetImageCommand({
        registryId: FRAUD_DEV,
        repositoryName: 'fraud-scoring',
        imageIds: [{ imageTag: 'latest' }, { imageTag: 'missing' }],
      }),
    ),
};

const SERVED = [
  ...Object.entries(JSON_SERVICES).flatMap(([service, { operations }]) =>
    Object.keys(operations).map(op => `${service}:${op}`),
  ),
  ...Object.keys(stsOperations).map(op => `sts:${op}`),
  ...S3_OPERATIONS.map(op => `s3:${op}`),
];

describe('every operation the sandbox serves', () => {
  const sandbox = useSandbox({ checkResponses: true });
  const options = (account: string) => ({
    endpoint: sandbox.current.url,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: account, secretAccessKey: 'sandbox' },
  });
  const sdk = (account: string): Sdk => ({
    ...clients(sandbox.current, account),
    codebuild: new codebuild.CodeBuildClient(options(account)),
    ecr: new ecr.ECRClient(options(account)),
  });
  const found: Found = {};

  it("has a call here for each, and each is in AWS's model", () => {
    expect(SERVED.filter(op => !CALLS[op])).toEqual([]);
    expect(Object.keys(CALLS).filter(op => !SERVED.includes(op))).toEqual([]);
    for (const op of SERVED)
      expect(() =>
        operationModel(op.split(':')[0], op.split(':')[1]),
      ).not.toThrow();
  });

  it.each(Object.keys(CALLS))('%s answers as the model says', async op => {
    await expect(CALLS[op](sdk, found)).resolves.not.toThrow();
  });
});
