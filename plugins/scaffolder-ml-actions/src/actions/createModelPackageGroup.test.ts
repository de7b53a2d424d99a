import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  GetModelPackageGroupPolicyCommand,
  ListTagsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  Sandbox,
  startSandbox,
  SANDBOX_AWS_CONFIG,
} from '@ml-governance/aws-sandbox';
import { AwsClientFactory } from '@ml-governance/plugin-ml-registry-node';
import yaml from 'yaml';
import { createModelPackageGroupAction } from './createModelPackageGroup';
import { examples } from './createModelPackageGroup.examples';

const DEV = '222222222222';

describe('sagemaker:model-package-group:create', () => {
  let sandbox: Sandbox;
  let action: ReturnType<typeof createModelPackageGroupAction>;
  const sagemaker = () =>
    new SageMakerClient({
      endpoint: sandbox.url,
      region: 'us-east-1',
      credentials: { accessKeyId: DEV, secretAccessKey: 'x' },
    });

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, stepMs: 10 });
    process.env.AWS_ENDPOINT_URL_STS = sandbox.url;
    const config = new ConfigReader({
      mlRegistry: {
        endpoint: sandbox.url,
        maxAttempts: 1,
        accounts: [
          {
            accountId: '111111111111',
            stage: 'shared-services',
            name: 'ml-shared-services',
          },
          {
            accountId: DEV,
            stage: 'dev',
            name: 'fraud-dev',
            team: 'group:default/fraud-ds',
          },
          { accountId: '333333333333', stage: 'test', name: 'ml-test' },
          { accountId: '444444444444', stage: 'prod', name: 'ml-prod' },
        ],
      },
      aws: SANDBOX_AWS_CONFIG,
    });
    action = createModelPackageGroupAction({
      config,
      clients: AwsClientFactory.fromConfig(config),
    });
  });
  afterAll(async () => {
    delete process.env.AWS_ENDPOINT_URL_STS;
    await sandbox.close();
  });

  const inputOf = (example: string) => yaml.parse(example).steps[0].input;

  it('runs its example: creates the group with its cross-account policy and owner tag, once', async () => {
    const input = inputOf(examples[0].example);
    const first = createMockActionContext({ input });
    await action.handler(first);
    const arn = `arn:aws:sagemaker:us-east-1:${DEV}:model-package-group/card-risk`;
    expect(first.output).toHaveBeenCalledWith('arn', arn);
    expect(first.output).toHaveBeenCalledWith('created', true);
    const policy = JSON.parse(
      (
        await sagemaker().send(
          new GetModelPackageGroupPolicyCommand({
            ModelPackageGroupName: 'card-risk',
          }),
        )
      ).ResourcePolicy!,
    );
    expect(policy.Statement[0].Principal.AWS).toEqual(
      ['111111111111', '333333333333', '444444444444'].map(
        id => `arn:aws:iam::${id}:root`,
      ),
    );
    expect(
      (await sagemaker().send(new ListTagsCommand({ ResourceArn: arn }))).Tags,
    ).toEqual([{ Key: 'backstage-owner', Value: 'group:default/fraud-ds' }]);

    // A re-run finds it and changes nothing.
    const again = createMockActionContext({ input });
    await action.handler(again);
    expect(again.output).toHaveBeenCalledWith('created', false);
    expect(again.output).toHaveBeenCalledWith('arn', arn);
  });

  it('reports what it would create in a dry run, without calling AWS', async () => {
    sandbox.core.resetCounters();
    // The mock context keeps only some options: set the dry-run flag on it directly.
    const ctx = {
      ...createMockActionContext({
        input: { account: 'fraud-dev', name: 'dry-run-group' },
      }),
      isDryRun: true,
    };
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'arn',
      `arn:aws:sagemaker:us-east-1:${DEV}:model-package-group/dry-run-group`,
    );
    expect(sandbox.counters()).toEqual({});
  });

  it('surfaces an AWS failure naming the group and account', async () => {
    sandbox.setFaults([
      {
        account: DEV,
        operation: 'CreateModelPackageGroup',
        accessDenied: true,
      },
    ]);
    const ctx = createMockActionContext({
      input: { account: 'fraud-dev', name: 'denied-group' },
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      /^Could not create model package group denied-group in fraud-dev \(222222222222\): AccessDeniedException: /,
    );
    sandbox.setFaults([]);
  });

  it('rejects invalid input before any AWS call', async () => {
    sandbox.core.resetCounters();
    await expect(
      action.handler(
        createMockActionContext({ input: { account: 'nope', name: 'x' } }),
      ),
    ).rejects.toThrow(
      "account: 'nope' is not a configured ML account (configured: ml-shared-services, fraud-dev, ml-test, ml-prod)",
    );
    expect(sandbox.counters()).toEqual({});
  });
});
