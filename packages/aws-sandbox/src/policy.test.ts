import {
  identityPolicyAllows,
  policyAllows,
  PolicyRequest,
  resourcePolicyAllows,
} from './policy';

const policy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam::111111111111:root', '333333333333'] },
      Action: [
        'sagemaker:DescribeModelPackage*',
        'sagemaker:ListModelPackages',
      ],
      Resource: '*',
    },
    {
      Effect: 'Deny',
      Principal: { AWS: '333333333333' },
      Action: 'sagemaker:ListModelPackages',
      Resource: '*',
    },
  ],
});

describe('policyAllows', () => {
  const root = (a: string) => `arn:aws:iam::${a}:root`;
  it.each([
    ['111111111111', 'sagemaker:DescribeModelPackage', true],
    ['111111111111', 'sagemaker:DescribeModelPackageGroup', true],
    ['111111111111', 'sagemaker:UpdateModelPackage', false],
    ['333333333333', 'sagemaker:ListModelPackages', false],
    ['444444444444', 'sagemaker:DescribeModelPackage', false],
  ])('%s %s -> %p', (account, action, expected) => {
    expect(policyAllows(policy, root(account), account, action)).toBe(expected);
  });

  it('allows nothing without a policy or with a broken one', () => {
    expect(policyAllows(undefined, root('1'), '1', 's3:GetObject')).toBe(false);
    expect(policyAllows('{', root('1'), '1', 's3:GetObject')).toBe(false);
  });
});

describe('identityPolicyAllows', () => {
  const documents = [
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['sagemaker:List*', 'sagemaker:UpdateModelPackage'],
          Resource: '*',
        },
        {
          Effect: 'Allow',
          Action: 'codepipeline:StartPipelineExecution',
          Resource: 'arn:aws:codepipeline:us-east-1:111111111111:*-deploy',
        },
        { Effect: 'Deny', Action: 'sagemaker:ListModelCards', Resource: '*' },
      ],
    },
  ];
  it.each([
    ['sagemaker:ListEndpoints', '*', true],
    ['sagemaker:UpdateModelPackage', '*', true],
    ['sagemaker:CreateModelPackage', '*', false],
    ['sagemaker:ListModelCards', '*', false],
    [
      'codepipeline:StartPipelineExecution',
      'arn:aws:codepipeline:us-east-1:111111111111:fraud-detection-deploy',
      true,
    ],
    [
      'codepipeline:StartPipelineExecution',
      'arn:aws:codepipeline:us-east-1:111111111111:other-pipeline',
      false,
    ],
    // A resource the sandbox cannot name matches only Resource: '*'.
    ['codepipeline:StartPipelineExecution', '*', false],
  ])('%s on %s -> %p', (action, resource, expected) => {
    expect(identityPolicyAllows(documents, action, resource)).toBe(expected);
  });

  it('refuses to guess at what it does not evaluate', () => {
    expect(() =>
      identityPolicyAllows(
        [
          {
            Statement: [
              {
                Sid: 'AllBut',
                Effect: 'Allow',
                NotAction: 's3:*',
                Resource: '*',
              },
            ],
          },
        ],
        's3:GetObject',
        '*',
      ),
    ).toThrow('identity policy statement AllBut uses NotAction or NotResource');
    expect(() =>
      identityPolicyAllows(
        [
          {
            Statement: [
              {
                Sid: 'Dated',
                Effect: 'Allow',
                Action: '*',
                Resource: '*',
                Condition: {
                  DateLessThan: { 'aws:CurrentTime': '2030-01-01' },
                },
              },
            ],
          },
        ],
        's3:GetObject',
        '*',
      ),
    ).toThrow(
      'policy statement Dated uses the condition operator DateLessThan, which the sandbox does not evaluate',
    );
  });
});

describe('resourcePolicyAllows', () => {
  const rule = 'arn:aws:events:us-east-1:999999999999:rule/ml-events-to-queue';
  const queuePolicy = JSON.stringify({
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: 'arn:aws:sqs:us-east-1:999999999999:ml-registry-events',
        Condition: { ArnEquals: { 'aws:SourceArn': rule } },
      },
    ],
  });
  const events = { service: 'events.amazonaws.com' };
  const queue = 'arn:aws:sqs:us-east-1:999999999999:ml-registry-events';

  it.each<
    [
      string,
      boolean,
      PolicyRequest['principal'],
      string,
      Record<string, string>,
    ]
  >([
    [
      'the rule the condition names',
      true,
      events,
      queue,
      { 'aws:SourceArn': rule },
    ],
    [
      'condition keys, whatever their case',
      true,
      events,
      queue,
      { 'AWS:SourceArn': rule },
    ],
    ['another rule', false, events, queue, { 'aws:SourceArn': `${rule}-2` }],
    ['a request without the key', false, events, queue, {}],
    [
      'another service',
      false,
      { service: 'sns.amazonaws.com' },
      queue,
      { 'aws:SourceArn': rule },
    ],
    [
      'an account principal',
      false,
      { arn: 'arn:aws:iam::999999999999:root', account: '999999999999' },
      queue,
      { 'aws:SourceArn': rule },
    ],
    ['another queue', false, events, `${queue}-dlq`, { 'aws:SourceArn': rule }],
  ])(
    'EventBridge sending for %s -> %p',
    (_what, expected, principal, resource, context) => {
      expect(
        resourcePolicyAllows(queuePolicy, {
          principal,
          action: 'sqs:SendMessage',
          resource,
          context,
        }),
      ).toBe(expected);
    },
  );

  it('matches ArnLike and StringLike wildcards case-sensitively, every key and operator together', () => {
    const busPolicy = JSON.stringify({
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'events:PutEvents',
          Condition: {
            ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/ml-*' },
            StringLike: { 'events:source': ['aws.sage*', 'aws.codepipeline'] },
          },
        },
      ],
    });
    const ask = (principalArn: string, source: string) =>
      resourcePolicyAllows(busPolicy, {
        principal: { arn: principalArn, account: '1' },
        action: 'events:PutEvents',
        context: { 'aws:PrincipalArn': principalArn, 'events:source': source },
      });
    expect(
      ask('arn:aws:iam::111111111111:role/ml-events', 'aws.sagemaker'),
    ).toBe(true);
    expect(
      ask('arn:aws:iam::111111111111:role/ML-events', 'aws.sagemaker'),
    ).toBe(false);
    expect(ask('arn:aws:iam::111111111111:role/ml-events', 'aws.s3')).toBe(
      false,
    );
  });
});
