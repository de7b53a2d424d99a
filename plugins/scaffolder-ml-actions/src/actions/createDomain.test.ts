import {
  DescribeDomainCommand,
  ListDomainsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { ConfigReader } from '@backstage/config';
import {
  contextWith,
  exampleInput,
  runFirstExampleWith,
  startActionSandbox,
} from '../__testUtils__/actionSandbox';
import { createDomainAction } from './createDomain';
import { examples } from './createDomain.examples';

describe('sagemaker:domain:create', () => {
  let env: Awaited<ReturnType<typeof startActionSandbox>>;
  let action: ReturnType<typeof createDomainAction>;
  beforeAll(async () => {
    // A domain is InService two steps after its creation: steps long enough for a loaded machine's first poll to see it Pending.
    env = await startActionSandbox({ stepMs: 250 });
    action = createDomainAction({
      config: env.config,
      clients: env.clients,
      pollMs: 50,
    });
  });
  afterAll(() => env.close());
  const domains = async () =>
    (
      await new SageMakerClient(env.as('222222222222')).send(
        new ListDomainsCommand({}),
      )
    ).Domains!.filter(d => d.DomainName === 'fraud-research');

  it('runs its example: creates the domain, logs its progress until InService; a re-run reuses it', async () => {
    const input = exampleInput(examples[0]);
    const { ctx, logged } = contextWith(input);
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('created', true);
    expect(ctx.output).toHaveBeenCalledWith(
      'domainId',
      expect.stringMatching(/^d-/),
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'url',
      expect.stringMatching(
        /^https:\/\/d-.*\.studio\.us-east-1\.sagemaker\.aws$/,
      ),
    );
    expect(logged()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Studio domain fraud-research is Pending \(\d+ s\)$/,
        ),
        expect.stringMatching(/is InService/),
      ]),
    );
    expect(await domains()).toEqual([
      expect.objectContaining({ Status: 'InService' }),
    ]);
    // Its users act as the account's configured role (mlRegistry.roles), which no input names.
    const [{ DomainId }] = await domains();
    expect(
      (
        await new SageMakerClient(env.as('222222222222')).send(
          new DescribeDomainCommand({ DomainId }),
        )
      ).DefaultUserSettings,
    ).toEqual({
      ExecutionRole: 'arn:aws:iam::222222222222:role/sagemaker-execution',
    });

    const again = contextWith(input);
    await action.handler(again.ctx);
    expect(again.ctx.output).toHaveBeenCalledWith('created', false);
    expect(again.logged()[0]).toMatch(
      /^Studio domain fraud-research already exists \(d-[a-z0-9]+\); reusing it$/,
    );
    expect(await domains()).toHaveLength(1);
  });

  it("passes only a role the suite's role may pass: AWS refuses a configured role iam/ does not grant", async () => {
    const config = new ConfigReader({
      mlRegistry: {
        ...env.config.get<object>('mlRegistry'),
        roles: { studioExecution: 'backstage-ml' },
      },
    });
    const misconfigured = createDomainAction({
      config,
      clients: env.clients,
      pollMs: 5,
    });
    await expect(
      misconfigured.handler(
        contextWith({ ...exampleInput(examples[0]), name: 'as-backstage' }).ctx,
      ),
    ).rejects.toThrow(
      'Could not create Studio domain as-backstage in fraud-dev (222222222222): AccessDeniedException: User: arn:aws:sts::222222222222:assumed-role/backstage-ml/',
    );
  });

  it('reports what it would create in a dry run, without calling AWS', async () => {
    env.sandbox.core.resetCounters();
    const { ctx, logged } = contextWith(
      { ...exampleInput(examples[0]), name: 'dry-studio' },
      { dryRun: true },
    );
    await action.handler(ctx);
    expect(logged()).toEqual([
      'Would create Studio domain dry-studio (IAM) in fraud-dev, VPC vpc-0a1b2c3d, subnets subnet-0a1b2c3d, subnet-1a2b3c4d',
    ]);
    expect(env.sandbox.counters()).toEqual({});
  });

  it('surfaces an AWS failure naming the domain and account', async () => {
    env.sandbox.setFaults([
      {
        account: '222222222222',
        operation: 'CreateDomain',
        accessDenied: true,
      },
    ]);
    const { ctx } = contextWith({
      ...exampleInput(examples[0]),
      name: 'denied-studio',
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      /^Could not create Studio domain denied-studio in fraud-dev \(222222222222\): AccessDeniedException: /,
    );
    env.sandbox.setFaults([]);
  });

  it('rejects invalid input before any AWS call', async () => {
    env.sandbox.core.resetCounters();
    await expect(
      runFirstExampleWith(action, examples, { account: 'nope' }),
    ).rejects.toThrow(/account: 'nope' is not a configured ML account/);
    expect(env.sandbox.counters()).toEqual({});
  });
});
