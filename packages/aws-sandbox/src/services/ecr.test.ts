import {
  BatchGetImageCommand,
  ECRClient,
  RepositoryNotFoundException,
  SetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import {
  CHURN_DEV,
  FRAUD_DEV,
  SHARED,
  useSandbox,
} from '../__testUtils__/clients';

const XGBOOST_DIGEST =
  'sha256:5ec3fa1a597f613a31c2d8bbb9f19d609d4285f2bf602e73fff7fbcf2db8cdb8';
const FRAUD_SCORING_DIGEST =
  'sha256:ab9d8c9228cf86070f8a43db8c17183dfc64399690383128601206ed17c258e8';

describe('ECR', () => {
  const sandbox = useSandbox();
  const ecr = (account: string) =>
    new ECRClient({
      endpoint: sandbox.current.url,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: account, secretAccessKey: 'sandbox' },
    });

  it('resolves a tag of an AWS-owned SageMaker image to its digest for any account', async () => {
    const { images, failures } = await ecr(CHURN_DEV).send(
      new BatchGetImageCommand({
        registryId: '683313688378',
        repositoryName: 'sagemaker-xgboost',
        imageIds: [{ imageTag: '1.7-1' }],
      }),
    );
    expect(failures).toEqual([]);
    expect(images?.[0]).toMatchObject({
      registryId: '683313688378',
      imageId: { imageTag: '1.7-1', imageDigest: XGBOOST_DIGEST },
    });
  });

  it("reads another account's repository only where its policy allows the caller", async () => {
    const request = {
      registryId: FRAUD_DEV,
      repositoryName: 'fraud-scoring',
      imageIds: [{ imageTag: 'latest' }],
    };
    expect(
      (await ecr(SHARED).send(new BatchGetImageCommand(request))).images?.[0]
        .imageId?.imageDigest,
    ).toBe(FRAUD_SCORING_DIGEST);
    // ECR's model lists no AccessDeniedException, so the SDK raises its service exception by that name.
    const denied = {
      name: 'AccessDeniedException',
      message: expect.stringContaining(
        'because no resource-based policy allows the ecr:BatchGetImage action',
      ),
    };
    await expect(
      ecr(CHURN_DEV).send(new BatchGetImageCommand(request)),
    ).rejects.toMatchObject(denied);
    // Nor may another account rewrite the policy to let itself in.
    await expect(
      ecr(CHURN_DEV).send(
        new SetRepositoryPolicyCommand({
          registryId: FRAUD_DEV,
          repositoryName: 'fraud-scoring',
          policyText: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ecr:*' }],
          }),
        }),
      ),
    ).rejects.toThrow(RepositoryNotFoundException);
    await expect(
      ecr(CHURN_DEV).send(new BatchGetImageCommand(request)),
    ).rejects.toMatchObject(denied);
  });

  it('answers a missing tag, a malformed digest and a digest the repository lacks as failures', async () => {
    const { images, failures } = await ecr(FRAUD_DEV).send(
      new BatchGetImageCommand({
        repositoryName: 'fraud-scoring',
        imageIds: [
          { imageTag: 'nope' },
          { imageDigest: 'sha256:xyz' },
          { imageTag: 'latest', imageDigest: XGBOOST_DIGEST },
        ],
      }),
    );
    expect(images).toEqual([]);
    expect(failures?.map(f => f.failureCode)).toEqual([
      'ImageNotFound',
      'InvalidImageDigest',
      'ImageNotFound',
    ]);
  });

  it('names the registry of a repository that does not exist', async () => {
    await expect(
      ecr(SHARED).send(
        new BatchGetImageCommand({
          repositoryName: 'nothing-here',
          imageIds: [{ imageTag: 'latest' }],
        }),
      ),
    ).rejects.toThrow(
      `The repository with name 'nothing-here' does not exist in the registry with id '${SHARED}'`,
    );
  });
});
