import {
  DescribeProductCommand,
  DescribeProvisioningParametersCommand,
  DescribeRecordCommand,
  InvalidParametersException,
  ListPortfoliosCommand,
  ProvisionProductCommand,
  ResourceNotFoundException,
  SearchProductsAsAdminCommand,
  SearchProductsCommand,
  SearchProvisionedProductsCommand,
} from '@aws-sdk/client-service-catalog';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
} from '@aws-sdk/client-sts';
import {
  clients,
  eventually,
  SHARED,
  useSandbox,
} from '../__testUtils__/clients';
import { vendAccount } from '../__testUtils__/vendAccount';

describe('Service Catalog', () => {
  const sandbox = useSandbox();
  const sc = () => clients(sandbox.current, SHARED).servicecatalog;

  it('lists the portfolios and their products', async () => {
    const { PortfolioDetails } = await sc().send(new ListPortfoliosCommand({}));
    expect(PortfolioDetails?.map(p => p.DisplayName)).toEqual([
      'ML Admin',
      'SageMaker Projects',
    ]);
    const admin = await sc().send(
      new SearchProductsCommand({ Filters: { FullTextSearch: ['domain'] } }),
    );
    expect(admin.ProductViewSummaries?.map(p => p.Name)).toEqual([
      'SageMaker Studio domain',
    ]);
    const product = await sc().send(
      new DescribeProductCommand({ Id: 'prod-smdomain0001' }),
    );
    expect(product.ProvisioningArtifacts?.map(a => a.Name)).toEqual([
      'v1',
      'v2',
    ]);
    const params = await sc().send(
      new DescribeProvisioningParametersCommand({
        ProductId: 'prod-smdomain0001',
        ProvisioningArtifactName: 'v2',
      }),
    );
    expect(
      params.ProvisioningArtifactParameters?.map(p => p.ParameterKey),
    ).toEqual(['DomainName', 'AuthMode']);
  });

  it('narrows the administrator search to one portfolio, page by page', async () => {
    const first = await sc().send(
      new SearchProductsAsAdminCommand({
        PortfolioId: 'port-mladmin0001',
        PageSize: 1,
      }),
    );
    expect(
      first.ProductViewDetails?.map(p => p.ProductViewSummary?.Name),
    ).toEqual(['SageMaker Studio domain']);
    const second = await sc().send(
      new SearchProductsAsAdminCommand({
        PortfolioId: 'port-mladmin0001',
        PageToken: first.NextPageToken,
      }),
    );
    expect(
      second.ProductViewDetails?.map(p => p.ProductViewSummary?.Name),
    ).toEqual(['AWS Control Tower Account Factory']);
    expect(second.NextPageToken).toBeUndefined();
    const missing = await sc()
      .send(new SearchProductsAsAdminCommand({ PortfolioId: 'port-nothere' }))
      .catch(e => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing.message).toContain('port-nothere');
  });

  it('provisions a product, idempotently per token, and completes its record', async () => {
    const input = {
      ProductId: 'prod-smdomain0001',
      ProvisioningArtifactName: 'v2',
      ProvisionedProductName: 'fraud-domain',
      ProvisionToken: 'token-1',
      ProvisioningParameters: [{ Key: 'DomainName', Value: 'fraud-studio' }],
    };
    const { RecordDetail } = await sc().send(
      new ProvisionProductCommand(input),
    );
    expect(RecordDetail?.Status).toBe('IN_PROGRESS');
    const retry = await sc().send(new ProvisionProductCommand(input));
    expect(retry.RecordDetail?.RecordId).toBe(RecordDetail?.RecordId);
    const done = await eventually(async () => {
      const r = await sc().send(
        new DescribeRecordCommand({ Id: RecordDetail!.RecordId }),
      );
      return r.RecordDetail?.Status === 'SUCCEEDED' ? r : undefined;
    });
    expect(done.RecordOutputs).toEqual([
      { OutputKey: 'DomainName', OutputValue: 'fraud-studio' },
    ]);
    const provisioned = await sc().send(
      new SearchProvisionedProductsCommand({
        Filters: { SearchQuery: ['name:fraud-domain'] },
      }),
    );
    expect(provisioned.ProvisionedProducts?.[0]).toMatchObject({
      Name: 'fraud-domain',
      Status: 'AVAILABLE',
    });
  });

  it('vends a new account through the account factory, with the role Backstage assumes into it', async () => {
    const { RecordDetail } = await sc().send(
      vendAccount('ml-dev-vision', 'vision@example.com', 'vend-1'),
    );
    const done = await eventually(async () => {
      const r = await sc().send(
        new DescribeRecordCommand({ Id: RecordDetail!.RecordId }),
      );
      return r.RecordDetail?.Status === 'SUCCEEDED' ? r : undefined;
    });
    const outputs = Object.fromEntries(
      done.RecordOutputs!.map(o => [o.OutputKey, o.OutputValue]),
    );
    expect(outputs).toEqual({
      AccountId: expect.stringMatching(/^\d{12}$/),
      AccountName: 'ml-dev-vision',
      AccountEmail: 'vision@example.com',
    });
    const { Credentials } = await clients(
      sandbox.current,
      '999999999999',
    ).sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${outputs.AccountId}:role/backstage-ml`,
        RoleSessionName: 'backstage',
      }),
    );
    const session = clients(sandbox.current, {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken,
    });
    expect(
      (await session.sts.send(new GetCallerIdentityCommand({}))).Account,
    ).toBe(outputs.AccountId);
  });

  it('names a missing or disallowed parameter', async () => {
    const missing = await sc()
      .send(
        new ProvisionProductCommand({
          ProductId: 'prod-smdomain0001',
          ProvisionedProductName: 'no-name',
          ProvisionToken: 't2',
          ProvisioningParameters: [],
        }),
      )
      .catch(e => e);
    expect(missing).toBeInstanceOf(InvalidParametersException);
    expect(missing.message).toBe('Parameter DomainName must have a value');
    const disallowed = await sc()
      .send(
        new ProvisionProductCommand({
          ProductId: 'prod-smdomain0001',
          ProvisionedProductName: 'sso',
          ProvisionToken: 't3',
          ProvisioningParameters: [
            { Key: 'DomainName', Value: 'x' },
            { Key: 'AuthMode', Value: 'LDAP' },
          ],
        }),
      )
      .catch(e => e);
    expect(disallowed.message).toBe(
      'Parameter AuthMode must be one of IAM, SSO',
    );
  });
});
