import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { screen } from '@testing-library/react';
import { VersionGates as Gates } from '@ml-governance/plugin-ml-registry-common';
import { MlRegistryApi, mlRegistryApiRef } from '../../api/MlRegistryApi';
import { VersionGates } from '../gates/VersionGates';

const CENTRAL =
  'arn:aws:sagemaker:us-east-1:111111111111:model-package/churn-prediction/1';
const SINCE = '2026-12-03T15:00:00.000Z';

async function render(getGates: () => Promise<Gates>, pollMs?: number) {
  await renderInTestApp(
    <VersionGates arn={CENTRAL} label="churn-prediction v1" pollMs={pollMs} />,
    {
      apis: [
        [
          mlRegistryApiRef,
          { getGates } as Partial<MlRegistryApi> as MlRegistryApi,
        ],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.DENY }),
        ],
      ],
    },
  );
}

/** The gates of a version whose account cannot be reached: a banner, never an error page. */
describe('UnreachableAccountBanner', () => {
  it('names the account and since when above the state last read, which stays shown', async () => {
    await render(async () => ({
      centralArn: CENTRAL,
      gates: [
        { gate: 'central-approval', state: 'approved' },
        { gate: 'governance-approval', state: 'pending' },
      ],
      audit: [],
      stale: {
        since: SINCE,
        account: { accountId: '111111111111', name: 'ml-shared' },
        reason: 'server-error',
      },
    }));
    // WarningPanel puts "Warning: " before its title.
    expect(
      await screen.findByText(
        `AWS account ml-shared (111111111111) cannot be reached: showing its state as last read ${new Date(
          SINCE,
        ).toLocaleString()}`,
        { exact: false },
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Governance approval')).toBeInTheDocument();
    expect(screen.getByText('Pending')).toBeInTheDocument();
    expect(
      screen.queryByText('Could not load the gates'),
    ).not.toBeInTheDocument();
  });

  it("shows the backend's 503, which names the account, in place of an error page where nothing was read, until the account answers", async () => {
    const message =
      'The AWS account ml-shared (111111111111) cannot be reached (network) and nothing of it is stored to show; try again later';
    const body = {
      error: { name: 'ServiceUnavailableError', message },
      request: { method: 'GET', url: '/api/ml-registry/gates' },
      response: { statusCode: 503 },
    };
    const response = {
      status: 503,
      statusText: 'Service Unavailable',
      headers: new Headers({ 'content-type': 'application/json' }),
      text: async () => JSON.stringify(body),
    };
    const unavailable = await ResponseError.fromResponse(
      response as unknown as Response,
    );
    let reachable = false;
    await render(async () => {
      if (!reachable) throw unavailable;
      return {
        centralArn: CENTRAL,
        gates: [{ gate: 'governance-approval', state: 'approved' }],
        audit: [],
      };
    }, 50);
    expect(
      await screen.findByText(message, { exact: false }),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('Could not load the gates'),
    ).not.toBeInTheDocument();

    reachable = true;
    expect(await screen.findByText('Governance approval')).toBeInTheDocument();
    expect(
      screen.queryByText(message, { exact: false }),
    ).not.toBeInTheDocument();
  });
});
