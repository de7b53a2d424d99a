import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { SANDBOX_ML_ACCOUNTS } from '@ml-governance/aws-sandbox';
import { startActionSandbox } from '../__testUtils__/actionSandbox';
import yaml from 'yaml';
import { createProvisionProductAction } from './provisionProduct';
import { examples } from './provisionProduct.examples';

describe('servicecatalog:product:provision', () => {
  let env: Awaited<ReturnType<typeof startActionSandbox>>;
  let action: ReturnType<typeof createProvisionProductAction>;

  beforeAll(async () => {
    env = await startActionSandbox({ accounts: [SANDBOX_ML_ACCOUNTS.shared] });
    action = createProvisionProductAction({
      config: env.config,
      clients: env.clients,
      pollMs: 20,
    });
  });
  afterAll(() => env.close());

  it('runs its example: provisions, waits for the record, returns the outputs; a re-run reuses it', async () => {
    const input = yaml.parse(examples[0].example).steps[0].input;
    const logger = mockServices.logger.mock();
    const first = createMockActionContext({ input, logger });
    await action.handler(first);
    expect(first.output).toHaveBeenCalledWith('created', true);
    expect(first.output).toHaveBeenCalledWith('outputs', {
      DomainName: 'fraud-studio',
    });
    expect(first.output).toHaveBeenCalledWith(
      'provisionedProductId',
      expect.stringMatching(/^pp-/),
    );
    // Parameter values never reach the log.
    const logged = JSON.stringify(logger.info.mock.calls);
    expect(logged).toContain('DomainName');
    expect(logged).not.toContain('fraud-studio"');

    const again = createMockActionContext({ input });
    await action.handler(again);
    expect(again.output).toHaveBeenCalledWith('created', false);
    expect(again.output).toHaveBeenCalledWith('outputs', {
      DomainName: 'fraud-studio',
    });
  });

  it('reports what it would provision in a dry run, without calling AWS', async () => {
    env.sandbox.core.resetCounters();
    const input = {
      ...yaml.parse(examples[0].example).steps[0].input,
      provisionedProductName: 'dry',
    };
    await action.handler({
      ...createMockActionContext({ input }),
      isDryRun: true,
    });
    expect(env.sandbox.counters()).toEqual({});
  });

  it('surfaces the AWS error naming the product, and rejects a bad account before any call', async () => {
    const bad = createMockActionContext({
      input: {
        account: 'ml-shared-services',
        productId: 'prod-smdomain0001',
        provisionedProductName: 'bad-auth',
        parameters: { DomainName: 'x', AuthMode: 'KERBEROS' },
      },
    });
    await expect(action.handler(bad)).rejects.toThrow(
      /^Could not provision prod-smdomain0001 as bad-auth in ml-shared-services \(111111111111\): InvalidParametersException: Parameter AuthMode must be one of IAM, SSO/,
    );
    env.sandbox.core.resetCounters();
    await expect(
      action.handler(
        createMockActionContext({
          input: {
            account: 'nope',
            productId: 'prod-x',
            provisionedProductName: 'x',
          },
        }),
      ),
    ).rejects.toThrow("account: 'nope' is not a configured ML account");
    expect(env.sandbox.counters()).toEqual({});
  });
});
