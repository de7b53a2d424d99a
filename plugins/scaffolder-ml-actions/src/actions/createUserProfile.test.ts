import {
  CreateDomainCommand,
  DescribeUserProfileCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  contextWith,
  exampleInput,
  startActionSandbox,
} from '../__testUtils__/actionSandbox';
import { createUserProfileAction } from './createUserProfile';
import { examples } from './createUserProfile.examples';

describe('sagemaker:user-profile:create', () => {
  let env: Awaited<ReturnType<typeof startActionSandbox>>;
  let action: ReturnType<typeof createUserProfileAction>;
  let domainId: string;
  let input: Record<string, unknown>;
  beforeAll(async () => {
    env = await startActionSandbox();
    action = createUserProfileAction({
      config: env.config,
      clients: env.clients,
    });
    ({ DomainId: domainId } = (await new SageMakerClient(
      env.as('222222222222'),
    ).send(
      new CreateDomainCommand({
        DomainName: 'profiles-studio',
        AuthMode: 'IAM',
        VpcId: 'vpc-0a1b',
        SubnetIds: ['subnet-0a1b'],
        DefaultUserSettings: {
          ExecutionRole: 'arn:aws:iam::222222222222:role/exec',
        },
      }),
    )) as { DomainId: string });
    // The example takes the domain from an earlier step's output.
    input = { ...exampleInput(examples[0]), domainId };
  });
  afterAll(() => env.close());

  it('runs its example: creates the profile once; a re-run leaves it as it is', async () => {
    const { ctx } = contextWith(input);
    await action.handler(ctx);
    const arn = `arn:aws:sagemaker:us-east-1:222222222222:user-profile/${domainId}/dana-scientist`;
    expect(ctx.output).toHaveBeenCalledWith('arn', arn);
    expect(ctx.output).toHaveBeenCalledWith('created', true);
    const profile = await new SageMakerClient(env.as('222222222222')).send(
      new DescribeUserProfileCommand({
        DomainId: domainId,
        UserProfileName: 'dana-scientist',
      }),
    );
    expect(profile.Status).toBe('InService');

    const again = contextWith(input);
    await action.handler(again.ctx);
    expect(again.ctx.output).toHaveBeenCalledWith('created', false);
    expect(again.ctx.output).toHaveBeenCalledWith('arn', arn);
  });

  it('reports what it would create in a dry run, without calling AWS', async () => {
    env.sandbox.core.resetCounters();
    const { ctx, logged } = contextWith(
      { ...input, userProfileName: 'someone' },
      { dryRun: true },
    );
    await action.handler(ctx);
    expect(logged()).toEqual([
      `Would create user profile someone in domain ${domainId} of fraud-dev`,
    ]);
    expect(env.sandbox.counters()).toEqual({});
  });

  it('surfaces an AWS failure naming the profile, domain and account', async () => {
    const { ctx } = contextWith({ ...input, domainId: 'd-missing000000' });
    await expect(action.handler(ctx)).rejects.toThrow(
      'Could not create user profile dana-scientist in domain d-missing000000 in fraud-dev (222222222222): ResourceNotFound: Domain d-missing000000 does not exist.',
    );
  });

  it('rejects invalid input before any AWS call', async () => {
    env.sandbox.core.resetCounters();
    await expect(
      action.handler(contextWith({ ...input, account: 'nope' }).ctx),
    ).rejects.toThrow(/account: 'nope' is not a configured ML account/);
    expect(env.sandbox.counters()).toEqual({});
  });
});
