import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  GetModelPackageGroupPolicyCommand,
  ListTagsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { SANDBOX_ML_ACCOUNTS } from '@ml-governance/aws-sandbox';
import { startActionSandbox } from '../__testUtils__/actionSandbox';
import yaml from 'yaml';
import { createModelPackageGroupAction } from './createModelPackageGroup';
import { examples } from './createModelPackageGroup.examples';

const DEV = '222222222222';

describe('sagemaker:model-package-group:create', () => {
  let env: Awaited<ReturnType<typeof startActionSandbox>>;
  let action: ReturnType<typeof createModelPackageGroupAction>;
  const sagemaker = () => new SageMakerClient(env.as(DEV));

  beforeAll(async () => {
    const { shared, fraud, test, prod } = SANDBOX_ML_ACCOUNTS;
    env = await startActionSandbox({ accounts: [shared, fraud, test, prod] });
    action = createModelPackageGroupAction({
      config: env.config,
      clients: env.clients,
    });
  });
  afterAll(() => env.close());

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
    env.sandbox.core.resetCounters();
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
    expect(env.sandbox.counters()).toEqual({});
  });

  it('surfaces an AWS failure naming the group and account', async () => {
    env.sandbox.setFaults([
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
    env.sandbox.setFaults([]);
  });

  it('rejects invalid input before any AWS call', async () => {
    env.sandbox.core.resetCounters();
    await expect(
      action.handler(
        createMockActionContext({ input: { account: 'nope', name: 'x' } }),
      ),
    ).rejects.toThrow(
      "account: 'nope' is not a configured ML account (configured: ml-shared-services, fraud-dev, ml-test, ml-prod)",
    );
    expect(env.sandbox.counters()).toEqual({});
  });
});
