import { ConfigReader } from '@backstage/config';
import {
  identityMatches,
  isExternalApprover,
  readGatePolicy,
  userOfIdentity,
} from './gatePolicy';

const read = (gates: object) =>
  readGatePolicy(new ConfigReader({ mlRegistry: { gates } }));

describe('readGatePolicy', () => {
  it('defaults to separation of duties, a second approver for unknown registrants, and no external approver', () => {
    const policy = read({});
    expect(policy).toMatchObject({
      separationOfDuties: true,
      unknownRegistrant: 'second-approver',
      externalApprovers: [],
      identities: [],
    });
    expect(isExternalApprover(policy, 'arn:aws:iam::222222222222:root')).toBe(
      false,
    );
  });

  it('maps AWS identities to users and trusts external approvers, with IAM wildcards', () => {
    const policy = read({
      unknownRegistrant: 'refuse',
      identities: [
        {
          aws: 'arn:aws:sts::222222222222:assumed-role/DataScientist/dana*',
          user: 'user:default/dana.scientist',
        },
      ],
      externalApprovers: [
        'arn:aws:sts::22222222222?:assumed-role/ModelApprover/*',
      ],
    });
    expect(policy.unknownRegistrant).toBe('refuse');
    expect(
      userOfIdentity(
        policy,
        'arn:aws:sts::222222222222:assumed-role/DataScientist/dana@example.com',
      ),
    ).toBe('user:default/dana.scientist');
    expect(
      userOfIdentity(
        policy,
        'arn:aws:sts::222222222222:assumed-role/DataScientist/mallory',
      ),
    ).toBeUndefined();
    expect(userOfIdentity(policy, undefined)).toBeUndefined();
    expect(
      isExternalApprover(
        policy,
        'arn:aws:sts::222222222223:assumed-role/ModelApprover/ci',
      ),
    ).toBe(true);
    expect(
      isExternalApprover(
        policy,
        'arn:aws:sts::222222222223:assumed-role/ModelApproverX/ci',
      ),
    ).toBe(false);
    expect(isExternalApprover(policy, undefined)).toBe(false);
  });

  it('takes regular-expression characters in a pattern literally', () => {
    expect(
      identityMatches(
        'arn:aws:iam::222222222222:user/a.b',
        'arn:aws:iam::222222222222:user/a.b',
      ),
    ).toBe(true);
    expect(
      identityMatches(
        'arn:aws:iam::222222222222:user/a.b',
        'arn:aws:iam::222222222222:user/aXb',
      ),
    ).toBe(false);
  });

  it('names the key of a bad value', () => {
    expect(() => read({ unknownRegistrant: 'allow' })).toThrow(
      "mlRegistry.gates.unknownRegistrant: 'allow' is not one of refuse, second-approver",
    );
    expect(() => read({ externalApprovers: ['*'] })).toThrow(
      "mlRegistry.gates.externalApprovers[0]: '*' is not an IAM or SageMaker user profile ARN",
    );
    expect(() =>
      read({
        identities: [
          {
            aws: 'arn:aws:iam::222222222222:root',
            user: 'group:default/fraud-ds',
          },
        ],
      }),
    ).toThrow(
      "mlRegistry.gates.identities[0].user: 'group:default/fraud-ds' is not a user entity ref",
    );
    expect(() =>
      read({
        identities: [{ aws: 'root', user: 'user:default/dana.scientist' }],
      }),
    ).toThrow(
      "mlRegistry.gates.identities[0].aws: 'root' is not an IAM or SageMaker user profile ARN",
    );
  });
});
