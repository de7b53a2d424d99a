import { ConfigReader } from '@backstage/config';
import { readMlPlatformConfig } from './config';

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
      read({ region: 'eu-west-1', endpoint: 'http://localhost:4566', accounts }),
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
    [{ name: 'ml-shared' }, "mlRegistry.accounts[1].name: 'ml-shared' is configured twice"],
  ])('names the bad key for %o', (override, message) => {
    expect(() =>
      read({ accounts: [accounts[0], { ...accounts[1], ...override }] }),
    ).toThrow(message);
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
