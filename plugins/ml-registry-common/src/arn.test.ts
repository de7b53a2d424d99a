import {
  buildArn,
  iamArn,
  modelPackageGroupArnOf,
  parseArn,
  parseModelPackageArn,
  parseModelPackageGroupArn,
  parseResourceArn,
  partitionOfRegion,
  sagemakerArn,
} from './arn';

describe('arn', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['eu-west-2', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
  ])('%s is in partition %s', (region, partition) => {
    expect(partitionOfRegion(region)).toBe(partition);
  });

  it('parses every field, the resource with its colons', () => {
    expect(
      parseArn('arn:aws:logs:us-east-1:111111111111:log-group:/a/b:*'),
    ).toEqual({
      partition: 'aws',
      service: 'logs',
      region: 'us-east-1',
      accountId: '111111111111',
      resource: 'log-group:/a/b:*',
    });
    expect(parseArn('arn:aws:s3:::bucket/key')).toMatchObject({
      service: 's3',
      region: '',
      accountId: '',
      resource: 'bucket/key',
    });
  });

  it('refuses what is not an ARN of a known partition', () => {
    expect(parseArn('not an arn')).toBeUndefined();
    expect(parseArn('arn:aws:sagemaker:us-east-1')).toBeUndefined();
    expect(
      parseArn('arn:other:sagemaker:us-east-1:111111111111:x/y'),
    ).toBeUndefined();
  });

  it('builds in the partition of the region', () => {
    expect(sagemakerArn('cn-north-1', '111111111111', 'domain/d-1')).toBe(
      'arn:aws-cn:sagemaker:cn-north-1:111111111111:domain/d-1',
    );
    expect(
      buildArn({
        service: 'codepipeline',
        region: 'us-gov-west-1',
        accountId: '111111111111',
        resource: 'deploy',
      }),
    ).toBe('arn:aws-us-gov:codepipeline:us-gov-west-1:111111111111:deploy');
    expect(iamArn('us-gov-east-1', '222222222222', 'sagemaker-exec')).toBe(
      'arn:aws-us-gov:iam::222222222222:role/sagemaker-exec',
    );
    expect(iamArn('us-east-1', '222222222222')).toBe(
      'arn:aws:iam::222222222222:root',
    );
  });

  it('parses a resource of a type, any partition', () => {
    expect(
      parseResourceArn(
        'arn:aws-cn:kms:cn-north-1:111111111111:key/8d1f3c2a-5b6e',
        'kms',
        'key',
      ),
    ).toMatchObject({ partition: 'aws-cn', id: '8d1f3c2a-5b6e' });
    expect(
      parseResourceArn(
        'arn:aws:kms:us-east-1:111111111111:alias/aws/s3',
        'kms',
        'key',
      ),
    ).toBeUndefined();
    expect(
      parseResourceArn('arn:aws:kms:us-east-1:111111111111:key/', 'kms', 'key'),
    ).toBeUndefined();
  });

  it('parses model package and model package group ARNs', () => {
    const version = parseModelPackageArn(
      'arn:aws-us-gov:sagemaker:us-gov-west-1:222222222222:model-package/churn/12',
    );
    expect(version).toMatchObject({
      partition: 'aws-us-gov',
      accountId: '222222222222',
      group: 'churn',
      version: 12,
    });
    expect(modelPackageGroupArnOf(version!)).toBe(
      'arn:aws-us-gov:sagemaker:us-gov-west-1:222222222222:model-package-group/churn',
    );
    expect(
      parseModelPackageGroupArn(
        'arn:aws:sagemaker:us-east-1:222222222222:model-package-group/churn',
      ),
    ).toMatchObject({ accountId: '222222222222', group: 'churn' });
  });

  it.each([
    'arn:aws:sagemaker:us-east-1:222222222222:model-package/unversioned',
    'arn:aws:sagemaker:us-east-1:222222222222:model-package/churn/x',
    'arn:aws:sagemaker:us-east-1:222222222222:model-package/churn/1/2',
    'arn:aws:sagemaker:us-east-1:2222:model-package/churn/1',
    'arn:aws:sagemaker::222222222222:model-package/churn/1',
    'arn:aws:sagemaker:us-east-1:222222222222:model-package-group/churn',
  ])('%s is not a versioned model package', text => {
    expect(parseModelPackageArn(text)).toBeUndefined();
  });

  it.each([
    'arn:aws:sagemaker:us-east-1:222222222222:model-package/churn/1',
    'arn:aws:sagemaker:us-east-1:222222222222:model-package-group/',
    'arn:aws:sagemaker:us-east-1:222222222222:model-package-group/a/b',
    'arn:aws:ecr:us-east-1:222222222222:model-package-group/churn',
  ])('%s is not a model package group', text => {
    expect(parseModelPackageGroupArn(text)).toBeUndefined();
  });
});
