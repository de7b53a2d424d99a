import { GetCallerIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { Sandbox, startSandbox } from './server';

describe('aws-sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(() => sandbox.close());

  const sts = (accessKeyId: string) =>
    new STSClient({
      endpoint: sandbox.url,
      region: 'us-east-1',
      credentials: { accessKeyId, secretAccessKey: 'sandbox' },
      maxAttempts: 1,
    });

  it('tells each account who it is, through the real STS client', async () => {
    const identity = await sts('222222222222').send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({
      Account: '222222222222',
      Arn: 'arn:aws:iam::222222222222:root',
    });
  });

  it('rejects an access key that names no account, as AWS does', async () => {
    const error = await sts('AKIAUNKNOWN').send(new GetCallerIdentityCommand({})).catch(e => e);
    expect(error).toBeInstanceOf(STSServiceException);
    expect(error.name).toBe('InvalidClientTokenId');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });
});
