import { policyAllows } from './policy';

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
