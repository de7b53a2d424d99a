import { ConfigReader } from '@backstage/config';
import { DEFAULT_APPROVERS, readApprovers } from './gates';

describe('readApprovers', () => {
  it('defaults to the example organisation in development only', () => {
    expect(
      readApprovers(new ConfigReader({ auth: { environment: 'development' } })),
    ).toEqual(DEFAULT_APPROVERS);
    // Unset is development, as for Backstage.
    expect(readApprovers(new ConfigReader({}))).toEqual(DEFAULT_APPROVERS);
    expect(
      readApprovers(new ConfigReader({ auth: { environment: 'production' } })),
    ).toEqual({
      'dev-approval': [],
      'central-approval': [],
      'governance-approval': [],
    });
  });

  it('takes the configured groups in production', () => {
    const approvers = readApprovers(
      new ConfigReader({
        auth: { environment: 'production' },
        mlRegistry: {
          gates: { approvers: { 'central-approval': ['group:default/mlops'] } },
        },
      }),
    );
    expect(approvers).toEqual({
      'dev-approval': [],
      'central-approval': ['group:default/mlops'],
      'governance-approval': [],
    });
  });

  it('names a malformed ref and its key', () => {
    expect(() =>
      readApprovers(
        new ConfigReader({
          mlRegistry: { gates: { approvers: { 'dev-approval': ['leads'] } } },
        }),
      ),
    ).toThrow(
      "mlRegistry.gates.approvers.dev-approval[0]: 'leads' is not a user or group entity ref",
    );
  });
});
