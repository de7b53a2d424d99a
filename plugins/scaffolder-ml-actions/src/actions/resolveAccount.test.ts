import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { createResolveAccountAction } from './resolveAccount';
import { examples } from './resolveAccount.examples';

const config = new ConfigReader({
  mlRegistry: {
    region: 'eu-west-1',
    accounts: [
      {
        accountId: '222222222222',
        stage: 'dev',
        name: 'fraud-dev',
        team: 'group:default/fraud-ds',
      },
      { accountId: '333333333333', stage: 'test', name: 'ml-test' },
    ],
  },
});

describe('ml:account:resolve', () => {
  const action = createResolveAccountAction({ config });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const { input } = yaml.parse(example).steps[0];
      const ctx = createMockActionContext({ input });
      await action.handler(ctx);
      expect(ctx.output).toHaveBeenCalledWith('accountId', '222222222222');
      expect(ctx.output).toHaveBeenCalledWith('stage', 'dev');
      expect(ctx.output).toHaveBeenCalledWith('region', 'eu-west-1');
      expect(ctx.output).toHaveBeenCalledWith('team', 'group:default/fraud-ds');
    },
  );

  it('leaves out the team of an account that has none', async () => {
    const ctx = createMockActionContext({ input: { account: 'ml-test' } });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('stage', 'test');
    expect(ctx.output).not.toHaveBeenCalledWith('team', expect.anything());
  });

  it('names the unknown account and the configured ones', async () => {
    const ctx = createMockActionContext({ input: { account: 'nope' } });
    await expect(action.handler(ctx)).rejects.toThrow(
      "account: 'nope' is not a configured ML account (configured: fraud-dev, ml-test)",
    );
  });
});
