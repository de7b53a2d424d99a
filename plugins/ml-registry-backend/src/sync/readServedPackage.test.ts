import {
  AddTagsCommand,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  Sandbox,
  sandboxRootClientConfig,
  startSdkSandbox,
} from '@ml-governance/aws-sandbox';
import { readServedPackage } from './readServedPackage';

const TEST = '333333333333';
const central = (n: number) =>
  `arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud-detection/${n}`;

describe('readServedPackage', () => {
  let sandbox: Sandbox;
  let sagemaker: SageMakerClient;

  beforeAll(async () => {
    sandbox = await startSdkSandbox();
    sagemaker = new SageMakerClient(sandboxRootClientConfig(sandbox, TEST));
  });

  afterAll(() => sandbox.close());

  it("reads the package from the endpoint's config and model, not from a tag claiming another", async () => {
    // An endpoint deployed by hand: a model from the central v1 package, its config, the endpoint.
    await sagemaker.send(
      new CreateModelCommand({
        ModelName: 'fraud-by-hand',
        PrimaryContainer: { ModelPackageName: central(1) },
      }),
    );
    await sagemaker.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'fraud-by-hand-config',
        ProductionVariants: [
          {
            VariantName: 'AllTraffic',
            ModelName: 'fraud-by-hand',
            InstanceType: 'ml.m5.large',
            InitialInstanceCount: 1,
          },
        ],
      }),
    );
    const { EndpointArn } = await sagemaker.send(
      new CreateEndpointCommand({
        EndpointName: 'fraud-by-hand',
        EndpointConfigName: 'fraud-by-hand-config',
      }),
    );
    await sagemaker.send(
      new AddTagsCommand({
        ResourceArn: EndpointArn,
        Tags: [{ Key: 'sagemaker:model-package-arn', Value: central(2) }],
      }),
    );
    expect(await readServedPackage(sagemaker, 'fraud-by-hand')).toBe(
      central(1),
    );
  });

  it('answers nothing for an endpoint that is gone', async () => {
    expect(await readServedPackage(sagemaker, 'no-such-endpoint')).toBe(
      undefined,
    );
  });
});
