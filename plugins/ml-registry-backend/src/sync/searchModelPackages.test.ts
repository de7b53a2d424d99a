import {
  ModelPackage,
  paginateSearch,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { Sandbox, seedScale, startSandbox } from '@ml-governance/aws-sandbox';
import { toVersion } from './AccountSync';
import { searchModelPackages } from './searchModelPackages';

const ACCOUNT = { accountId: '222222222222', stage: 'dev' as const };

describe('searchModelPackages', () => {
  let sandbox: Sandbox;
  let client: SageMakerClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, stepMs: 10 });
    await sandbox.settled();
    // Two and a half pages beyond the scenario's own packages.
    seedScale(sandbox.core, { accounts: 1, groups: 25, versions: 10 });
    client = new SageMakerClient({
      endpoint: sandbox.url,
      region: 'us-east-1',
      credentials: { accessKeyId: '700000000000', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    // Starting and settling the sandbox takes longer than five seconds on a loaded machine.
  }, 60_000);
  afterAll(() => sandbox.close());

  it('reads what the SDK reads, field for field, page by page', async () => {
    const input = {
      MaxResults: 100,
      SortBy: 'LastModifiedTime',
      SortOrder: 'Ascending' as const,
    };
    const sdkPages: ModelPackage[][] = [];
    for await (const page of paginateSearch(
      { client, pageSize: 100 },
      { ...input, Resource: 'ModelPackage' },
    ))
      sdkPages.push(page.Results!.map(r => r.ModelPackage!));
    const pages: ModelPackage[][] = [];
    for await (const page of searchModelPackages(client, input))
      pages.push(page);

    expect(pages.map(p => p.length)).toEqual([100, 100, 50]);
    const account = { ...ACCOUNT, accountId: '700000000000' };
    expect(pages.flat().map(p => toVersion(account, p))).toEqual(
      sdkPages.flat().map(p => toVersion(account, p)),
    );
    expect(pages[0][0].CreationTime).toBeInstanceOf(Date);
  });

  it('leaves errors to the SDK: a throttled page is retried, then thrown as the SDK names it', async () => {
    sandbox.setFaults([{ service: 'sagemaker', throttlePerSecond: 1 }]);
    try {
      const pages = searchModelPackages(client, { MaxResults: 100 });
      await pages.next();
      await expect(pages.next()).rejects.toMatchObject({
        name: 'ThrottlingException',
      });
    } finally {
      sandbox.setFaults([]);
    }
  });
});
