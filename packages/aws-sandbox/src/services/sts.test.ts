import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
} from '@aws-sdk/client-sts';
import {
  clients,
  FRAUD_DEV,
  SHARED,
  TOOLING,
  useSandbox,
} from '../__testUtils__/clients';

describe('STS', () => {
  const sandbox = useSandbox();

  it('tells each account who it is', async () => {
    const identity = await clients(sandbox.current, FRAUD_DEV).sts.send(
      new GetCallerIdentityCommand({}),
    );
    expect(identity).toMatchObject({
      Account: FRAUD_DEV,
      Arn: `arn:aws:iam::${FRAUD_DEV}:root`,
    });
  });

  it('assumes a role that trusts the caller, and the session acts in the role account', async () => {
    const { Credentials, AssumedRoleUser } = await clients(
      sandbox.current,
      TOOLING,
    ).sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${SHARED}:role/backstage-ml`,
        RoleSessionName: 'backstage',
      }),
    );
    expect(AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::${SHARED}:assumed-role/backstage-ml/backstage`,
    );
    expect(Credentials?.Expiration).toBeInstanceOf(Date);
    const session = clients(sandbox.current, {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    });
    const identity = await session.sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(SHARED);
    expect(identity.Arn).toBe(
      `arn:aws:sts::${SHARED}:assumed-role/backstage-ml/backstage`,
    );
  });

  it('refuses a role whose trust does not name the caller', async () => {
    const error = await clients(sandbox.current, FRAUD_DEV)
      .sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${SHARED}:role/backstage-ml`,
          RoleSessionName: 'x-y',
        }),
      )
      .catch(e => e);
    expect(error.name).toBe('AccessDenied');
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toContain(
      `sts:AssumeRole on resource: arn:aws:iam::${SHARED}:role/backstage-ml`,
    );
  });

  it('names a malformed parameter', async () => {
    const error = await clients(sandbox.current, TOOLING)
      .sts.send(
        new AssumeRoleCommand({
          RoleArn: 'not-an-arn',
          RoleSessionName: 'x-y',
        }),
      )
      .catch(e => e);
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe(
      "1 validation error detected: Value 'not-an-arn' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
    );
  });

  it('rejects an access key that names no account', async () => {
    const error = await clients(sandbox.current, 'AKIAUNKNOWN')
      .sts.send(new GetCallerIdentityCommand({}))
      .catch(e => e);
    expect(error.name).toBe('InvalidClientTokenId');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });
});
