import { ConfigReader } from '@backstage/config';
import {
  promotionSourceBuckets,
  readMlPlatformConfig,
  readPromotionImageRegistries,
} from './config';

const accounts = [
  { accountId: '111111111111', stage: 'shared-services', name: 'ml-shared' },
  {
    accountId: '222222222222',
    stage: 'dev',
    name: 'fraud-dev',
    team: 'group:default/fraud-ds',
  },
];

function read(mlRegistry: object) {
  return readMlPlatformConfig(new ConfigReader({ mlRegistry }));
}

describe('readMlPlatformConfig', () => {
  it('reads the accounts, region and endpoint', () => {
    expect(
      read({
        region: 'eu-west-1',
        endpoint: 'http://localhost:4566',
        accounts,
      }),
    ).toEqual({
      region: 'eu-west-1',
      endpoint: 'http://localhost:4566',
      accounts,
    });
  });

  it('defaults to no accounts when the key is absent', () => {
    expect(readMlPlatformConfig(new ConfigReader({}))).toEqual({
      region: 'us-east-1',
      accounts: [],
    });
  });

  it.each([
    [
      { accountId: '12345' },
      "mlRegistry.accounts[1].accountId: '12345' is not a 12-digit AWS account id",
    ],
    [
      { stage: 'staging' },
      "mlRegistry.accounts[1].stage: 'staging' is not one of shared-services, dev, test, prod, governance",
    ],
    [{ name: 'Fraud Dev' }, "mlRegistry.accounts[1].name: 'Fraud Dev' must be"],
    [
      { accountId: '111111111111' },
      'mlRegistry.accounts[1].accountId: 111111111111 is configured twice',
    ],
    [
      { name: 'ml-shared' },
      "mlRegistry.accounts[1].name: 'ml-shared' is configured twice",
    ],
    [
      { artifactBuckets: ['Bad_Bucket'] },
      "mlRegistry.accounts[1].artifactBuckets[0]: 'Bad_Bucket' is not an S3 bucket name",
    ],
    [
      { stage: 'test', artifactBuckets: ['ml-test-data'] },
      "mlRegistry.accounts[1].artifactBuckets: only a dev account's artifacts are promoted, this account is test",
    ],
  ])('names the bad key for %o', (override, message) => {
    expect(() =>
      read({ accounts: [accounts[0], { ...accounts[1], ...override }] }),
    ).toThrow(message);
  });

  it("copies a dev account's artifacts from its configured buckets, else its SageMaker default bucket", () => {
    const platform = read({
      region: 'eu-west-1',
      accounts: [
        ...accounts,
        {
          accountId: '222222222223',
          stage: 'dev',
          name: 'churn-dev',
          artifactBuckets: ['churn-models'],
        },
      ],
    });
    expect(
      platform.accounts.map(
        a => a.stage === 'dev' && promotionSourceBuckets(platform, a),
      ),
    ).toEqual([false, ['sagemaker-eu-west-1-222222222222'], ['churn-models']]);
  });

  it('names a missing required key', () => {
    expect(() => read({ accounts: [{ accountId: '111111111111' }] })).toThrow(
      /mlRegistry\.accounts\[0\]\.stage/,
    );
  });

  it('rejects a malformed region and endpoint', () => {
    expect(() => read({ region: 'mars' })).toThrow("mlRegistry.region: 'mars'");
    expect(() => read({ endpoint: 'localhost:4566' })).toThrow(
      "mlRegistry.endpoint: 'localhost:4566' is not an http(s) URL",
    );
  });
});

describe('readPromotionImageRegistries', () => {
  const registries = (mlRegistry: object) =>
    readPromotionImageRegistries(
      new ConfigReader({ mlRegistry }),
      read(mlRegistry),
    );

  it("allows the shared services and dev registries and the region's SageMaker image registries by default", () => {
    expect(registries({ region: 'us-east-1', accounts })).toEqual([
      '111111111111.dkr.ecr.us-east-1.amazonaws.com',
      '222222222222.dkr.ecr.us-east-1.amazonaws.com',
      '683313688378.dkr.ecr.us-east-1.amazonaws.com',
      '382416733822.dkr.ecr.us-east-1.amazonaws.com',
      '763104351884.dkr.ecr.us-east-1.amazonaws.com',
    ]);
  });

  it('takes account ids and registry hosts of the region', () => {
    expect(
      registries({
        region: 'eu-west-1',
        accounts,
        promotion: {
          imageRegistries: [
            '123456789012',
            '210987654321.dkr.ecr.eu-west-1.amazonaws.com',
          ],
        },
      }),
    ).toEqual([
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      '210987654321.dkr.ecr.eu-west-1.amazonaws.com',
    ]);
  });

  it('names an entry that is no ECR registry, or one of another region', () => {
    expect(() =>
      registries({ accounts, promotion: { imageRegistries: ['docker.io'] } }),
    ).toThrow(
      "mlRegistry.promotion.imageRegistries[0]: 'docker.io' is neither a 12-digit account id nor an ECR registry host such as 123456789012.dkr.ecr.us-east-1.amazonaws.com",
    );
    expect(() =>
      registries({
        accounts,
        promotion: {
          imageRegistries: [
            '123456789012',
            '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
          ],
        },
      }),
    ).toThrow(
      "mlRegistry.promotion.imageRegistries[1]: '123456789012.dkr.ecr.eu-west-1.amazonaws.com' is in eu-west-1, but promotion resolves images in mlRegistry.region (us-east-1)",
    );
  });
});
