import { identityPolicyAllows, policyAllows } from './policy';

const policy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam::111111111111:root', '333333333333'] },
      Action: ['sagemaker:DescribeModelPackage*', 'sagemaker:ListModelPackages'],
      Resource: '*',
    },
    { Effect: 'Deny', Principal: { AWS: '333333333333' }, Action: 'sagemaker:ListModelPackages', Resource: '*' },
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
  const documents = [{
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['sagemaker:List*', 'sagemaker:UpdateModelPackage'], Resource: '*' },
      { Effect: 'Allow', Action: 'codepipeline:StartPipelineExecution', Resource: 'arn:aws:codepipeline:us-east-1:111111111111:*-deploy' },
      { Effect: 'Deny', Action: 'sagemaker:ListModelCards', Resource: '*' },
    ],
  }];
  it.each([
    ['sagemaker:ListEndpoints', '*', true],
    ['sagemaker:UpdateModelPackage', '*', true],
    ['sagemaker:CreateModelPackage', '*', false],
    ['sagemaker:ListModelCards', '*', false],
    ['codepipeline:StartPipelineExecution', 'arn:aws:codepipeline:us-east-1:111111111111:fraud-detection-deploy', true],
    ['codepipeline:StartPipelineExecution', 'arn:aws:codepipeline:us-east-1:111111111111:other-pipeline', false],
    // A resource the sandbox cannot name matches only Resource: '*'.
    ['codepipeline:StartPipelineExecution', '*', false],
  ])('%s on %s -> %p', (action, resource, expected) => {
    expect(identityPolicyAllows(documents, action, resource)).toBe(expected);
  });

  it('refuses to guess at what it does not evaluate', () => {
    expect(() => identityPolicyAllows([{ Statement: [{ Sid: 'OnlyTagged', Effect: 'Allow', Action: '*', Resource: '*', Condition: {} }] }], 's3:GetObject', '*'))
      .toThrow('identity policy statement OnlyTagged uses NotAction, NotResource or Condition');
  });
});
