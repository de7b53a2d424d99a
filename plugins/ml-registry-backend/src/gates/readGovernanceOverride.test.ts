import { ConfigReader } from '@backstage/config';
import { readGovernanceOverride } from './readGovernanceOverride';

describe('readGovernanceOverride', () => {
  const read = (governance?: object) =>
    readGovernanceOverride(
      new ConfigReader({
        mlRegistry: { gates: { ...(governance ? { governance } : {}) } },
      }),
    );

  it('asks for 40 characters and one officer by default', () => {
    expect(read()).toEqual({ minLength: 40, needsSecondOfficer: false });
  });

  it('takes the configured minimum and second officer', () => {
    expect(
      read({ overrideMinLength: 80, overrideNeedsSecondOfficer: true }),
    ).toEqual({ minLength: 80, needsSecondOfficer: true });
  });

  it('refuses a minimum that is not a length, naming the key', () => {
    expect(() => read({ overrideMinLength: 0 })).toThrow(
      "mlRegistry.gates.governance.overrideMinLength: '0' is not a whole number of characters from 1 to 900",
    );
    expect(() => read({ overrideMinLength: 12.5 })).toThrow(
      /overrideMinLength: '12.5'/,
    );
  });
});
