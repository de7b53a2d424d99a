import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import {
  ListEndpointsCommand,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import YAML from 'yaml';
import { applyStack, readTemplate, Stack } from './cloudFormation';
import { SandboxCore } from './core';
import { emptyAccount, SandboxState } from './state';
import {
  clients,
  FRAUD_DEV,
  PROD,
  SHARED,
  TOOLING,
  useSandbox,
} from './__testUtils__/clients';

const IAM = path.resolve(__dirname, '../../../iam');

function emptySandbox(region = 'us-east-1') {
  const state: SandboxState = {
    formatVersion: 1,
    region,
    accounts: {},
    roles: [],
    sessions: {},
    buckets: {},
    sequence: 0,
  };
  for (const id of [FRAUD_DEV, SHARED, PROD, TOOLING])
    state.accounts[id] = emptyAccount(id, id);
  const core = new SandboxCore(state, 10);
  core.url = 'http://sandbox';
  return core;
}

const stackOf = (
  file: string,
  accountId: string,
  parameters?: Record<string, string>,
): Stack => ({
  source: file,
  template: readTemplate(file),
  accountId,
  stackName: 'test',
  parameters,
});

/** A template of one resource, written to a file so errors name it. */
function templateFile(resources: unknown, extra: object = {}) {
  const file = path.join(
    mkdtempSync(path.join(os.tmpdir(), 'cfn-')),
    'template.yaml',
  );
  writeFileSync(file, YAML.stringify({ Resources: resources, ...extra }));
  return file;
}

describe('applyStack', () => {
  it('creates the role of iam/ml-deployment-account.yaml as a StackSet deploys it', () => {
    const core = emptySandbox();
    applyStack(
      core,
      stackOf(path.join(IAM, 'ml-deployment-account.yaml'), PROD, {
        BackstageAccountId: TOOLING,
      }),
    );
    expect(core.state.roles).toEqual([
      {
        accountId: PROD,
        name: 'backstage-ml',
        trust: [TOOLING],
        policies: [
          {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: [
                  'sagemaker:ListEndpoints',
                  'sagemaker:ListTags',
                  'sagemaker:DescribeEndpoint',
                  'sagemaker:DescribeEndpointConfig',
                  'sagemaker:DescribeModel',
                ],
                Resource: '*',
              },
            ],
          },
        ],
      },
    ]);
  });

  it('resolves Fn::Sub with parameters and pseudo parameters', () => {
    const core = emptySandbox('eu-west-1');
    applyStack(
      core,
      stackOf(path.join(IAM, 'ml-shared-services-account.yaml'), SHARED, {
        BackstageAccountId: TOOLING,
      }),
    );
    expect(JSON.stringify(core.state.roles[0].policies)).toContain(
      `"arn:aws:codepipeline:eu-west-1:${SHARED}:*-deploy"`,
    );
    expect(JSON.stringify(core.state.roles[0].policies)).toContain(
      `"arn:aws:s3:::ml-shared-artifacts-${SHARED}/*"`,
    );
  });

  it('creates the receiving side of iam/backstage-account-events.yaml, wired by Ref and Fn::GetAtt', () => {
    const core = emptySandbox();
    const { resources, outputs } = applyStack(
      core,
      stackOf(path.join(IAM, 'backstage-account-events.yaml'), TOOLING, {
        SenderAccountIds: `${FRAUD_DEV}, ${SHARED}`,
      }),
    );
    const { queues, rules, eventBusPolicy } = core.account(TOOLING);
    expect(resources.Queue.ref).toBe(
      `http://sandbox/${TOOLING}/ml-registry-events`,
    );
    expect(outputs).toEqual({
      QueueUrl: `http://sandbox/${TOOLING}/ml-registry-events`,
      QueueArn: `arn:aws:sqs:us-east-1:${TOOLING}:ml-registry-events`,
      DeadLetterQueueUrl: `http://sandbox/${TOOLING}/ml-registry-events-dlq`,
    });
    expect(queues['ml-registry-events'].attributes).toMatchObject({
      VisibilityTimeout: '30',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: `arn:aws:sqs:us-east-1:${TOOLING}:ml-registry-events-dlq`,
        maxReceiveCount: '5',
      }),
    });
    expect(
      queues['ml-registry-events-dlq'].attributes.MessageRetentionPeriod,
    ).toBe('1209600');
    expect(
      JSON.parse(queues['ml-registry-events'].attributes.Policy).Statement[0]
        .Condition,
    ).toEqual({
      ArnEquals: {
        'aws:SourceArn': `arn:aws:events:us-east-1:${TOOLING}:rule/ml-events-to-queue`,
      },
    });
    expect(rules['ml-events-to-queue'].targets).toEqual([
      {
        Id: 'backstage-queue',
        Arn: `arn:aws:sqs:us-east-1:${TOOLING}:ml-registry-events`,
      },
    ]);
    expect(eventBusPolicy).toEqual({
      'ml-accounts-put-events': {
        Sid: 'ml-accounts-put-events',
        Effect: 'Allow',
        Principal: { AWS: [FRAUD_DEV, SHARED] },
        Action: 'events:PutEvents',
        Resource: `arn:aws:events:us-east-1:${TOOLING}:event-bus/default`,
      },
    });
  });

  it('creates the forwarding rule of iam/ml-events-forwarding.yaml with the role EventBridge delivers with', () => {
    const core = emptySandbox();
    applyStack(
      core,
      stackOf(path.join(IAM, 'ml-events-forwarding.yaml'), FRAUD_DEV, {
        BackstageAccountId: TOOLING,
        DetailTypes: 'SageMaker Model Package State Change',
      }),
    );
    const rule = core.account(FRAUD_DEV).rules['ml-events-to-backstage'];
    expect(JSON.parse(rule.eventPattern)).toEqual({
      source: ['aws.sagemaker', 'aws.codepipeline'],
      'detail-type': ['SageMaker Model Package State Change'],
    });
    expect(rule.targets).toEqual([
      {
        Id: 'backstage-bus',
        Arn: `arn:aws:events:us-east-1:${TOOLING}:event-bus/default`,
        RoleArn: `arn:aws:iam::${FRAUD_DEV}:role/ml-events-to-backstage`,
      },
    ]);
    expect(core.state.roles[0]).toMatchObject({
      name: 'ml-events-to-backstage',
      trust: ['events.amazonaws.com'],
    });
  });

  it('names the template and what is wrong with its parameters or intrinsics', () => {
    const core = emptySandbox();
    const file = path.join(IAM, 'ml-dev-account.yaml');
    expect(() => applyStack(core, stackOf(file, FRAUD_DEV))).toThrow(
      `CloudFormation template ${file}: parameter BackstageAccountId needs a value`,
    );
    expect(() =>
      applyStack(
        core,
        stackOf(file, FRAUD_DEV, { BackstageAccountId: TOOLING, Typo: 'x' }),
      ),
    ).toThrow('has no parameter Typo');
    expect(() =>
      applyStack(
        core,
        stackOf(path.join(IAM, 'ml-events-forwarding.yaml'), FRAUD_DEV, {
          BackstageAccountId: 'tooling',
        }),
      ),
    ).toThrow('parameter BackstageAccountId: tooling does not match \\d{12}');
    const join = templateFile({
      R: {
        Type: 'AWS::SQS::Queue',
        Properties: { QueueName: { 'Fn::Join': ['-', ['a', 'b']] } },
      },
    });
    expect(() => applyStack(core, stackOf(join, FRAUD_DEV))).toThrow(
      `CloudFormation template ${join}: uses Fn::Join, which the sandbox does not resolve`,
    );
    const conditions = templateFile(
      { R: { Type: 'AWS::SQS::Queue' } },
      { Conditions: { Prod: { 'Fn::Equals': ['a', 'b'] } } },
    );
    expect(() => applyStack(core, stackOf(conditions, FRAUD_DEV))).toThrow(
      'uses Conditions, which the sandbox does not resolve',
    );
  });

  it("checks each resource's properties against its type, naming the logical id", () => {
    const core = emptySandbox();
    const fails = (resources: unknown, message: string) => {
      const file = templateFile(resources);
      expect(() => applyStack(core, stackOf(file, TOOLING))).toThrow(
        `CloudFormation template ${file}: ${message}`,
      );
    };
    fails(
      {
        Q: {
          Type: 'AWS::SQS::Queue',
          Properties: { QueueName: 'q', Visibility: 30 },
        },
      },
      'resource Q (AWS::SQS::Queue): unknown property Visibility (see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sqs-queue.html)',
    );
    fails(
      { P: { Type: 'AWS::SQS::QueuePolicy', Properties: { Queues: [] } } },
      'resource P (AWS::SQS::QueuePolicy): required property PolicyDocument is missing',
    );
    fails(
      {
        R: {
          Type: 'AWS::IAM::Role',
          Properties: {
            AssumeRolePolicyDocument: {},
            ManagedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'],
          },
        },
      },
      'resource R (AWS::IAM::Role): uses ManagedPolicyArns, which the sandbox does not simulate',
    );
    fails(
      { T: { Type: 'AWS::SNS::Topic' } },
      'resource T (AWS::SNS::Topic): the sandbox does not create AWS::SNS::Topic',
    );
    fails(
      {
        Q: {
          Type: 'AWS::SQS::Queue',
          Properties: {
            QueueName: 'q',
            RedrivePolicy: {
              deadLetterTargetArn: `arn:aws:sqs:us-east-1:${TOOLING}:absent`,
              maxReceiveCount: 3,
            },
          },
        },
      },
      `resource Q (AWS::SQS::Queue): Invalid value for the parameter RedrivePolicy. Reason: Dead letter target does not exist: arn:aws:sqs:us-east-1:${TOOLING}:absent`,
    );
    fails(
      {
        A: {
          Type: 'AWS::SQS::Queue',
          Properties: { QueueName: { 'Fn::GetAtt': ['B', 'QueueName'] } },
        },
        B: {
          Type: 'AWS::SQS::Queue',
          Properties: { QueueName: { 'Fn::GetAtt': ['A', 'QueueName'] } },
        },
      },
      'resource A depends on itself through A -> B',
    );
    fails(
      {
        Q: { Type: 'AWS::SQS::Queue' },
        R: {
          Type: 'AWS::SQS::Queue',
          Properties: { QueueName: { 'Fn::GetAtt': ['Q', 'Owner'] } },
        },
      },
      'Fn::GetAtt Q.Owner: AWS::SQS::Queue has no attribute Owner in the sandbox',
    );
    fails(
      {
        R: {
          Type: 'AWS::Events::Rule',
          Properties: {
            EventBusName: 'ml-bus',
            EventPattern: { source: ['x'] },
          },
        },
      },
      "resource R (AWS::Events::Rule): EventBusName ml-bus: the sandbox has only each account's default bus",
    );
  });
});

describe('roles from iam/ in the default scenario', () => {
  const sandbox = useSandbox();
  const asRole = async (account: string) => {
    const { Credentials } = await clients(sandbox.current, TOOLING).sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${account}:role/backstage-ml`,
        RoleSessionName: 'backstage',
      }),
    );
    return clients(sandbox.current, {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken,
    });
  };

  it('lets a session do what its policies allow and refuses the rest, naming the action', async () => {
    const prod = await asRole(PROD);
    await expect(
      prod.sagemaker.send(new ListEndpointsCommand({})),
    ).resolves.toBeDefined();
    const refused = await prod.sagemaker
      .send(
        new UpdateModelPackageCommand({
          ModelPackageArn: `arn:aws:sagemaker:us-east-1:${PROD}:model-package/x/1`,
          ModelApprovalStatus: 'Approved',
        }),
      )
      .catch(e => e);
    expect(refused.name).toBe('AccessDeniedException');
    expect(refused.message).toBe(
      `User: arn:aws:sts::${PROD}:assumed-role/backstage-ml/backstage is not authorized to perform: sagemaker:UpdateModelPackage on resource: * because no identity-based policy allows the sagemaker:UpdateModelPackage action`,
    );
    // The account's root is not held to the role's policies.
    await expect(
      clients(sandbox.current, PROD).sagemaker.send(
        new ListEndpointsCommand({}),
      ),
    ).resolves.toBeDefined();
  });
});
