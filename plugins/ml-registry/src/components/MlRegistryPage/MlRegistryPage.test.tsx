import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { screen } from '@testing-library/react';
import { MlRegistryApi, mlRegistryApiRef } from '../../api/MlRegistryApi';
import { MlRegistryPage } from './MlRegistryPage';

function render(api: Partial<MlRegistryApi>) {
  return renderInTestApp(<MlRegistryPage />, {
    apis: [
      [
        mlRegistryApiRef,
        { listModels: async () => ({ items: [] }), ...api } as MlRegistryApi,
      ],
      [
        permissionApiRef,
        mockApis.permission({ authorize: AuthorizeResult.DENY }),
      ],
    ],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

describe('MlRegistryPage accounts', () => {
  it('lists the accounts and says which are stale, in words', async () => {
    await render({
      listAccounts: async () => ({
        items: [
          {
            accountId: '222222222222',
            stage: 'dev',
            name: 'fraud-dev',
            team: 'group:default/fraud-ds',
            lastSyncAt: '2026-11-25T10:00:00.000Z',
            stale: false,
          },
          {
            accountId: '444444444444',
            stage: 'prod',
            name: 'ml-prod',
            lastError: 'AccessDenied',
            stale: true,
          },
        ],
      }),
    });
    expect(await screen.findByText('fraud-dev')).toBeInTheDocument();
    expect(screen.getByText('group:default/fraud-ds')).toBeInTheDocument();
    expect(
      screen.getByText((_, e) =>
        e?.tagName === 'TIME'
          ? e.getAttribute('datetime') === '2026-11-25T10:00:00.000Z'
          : false,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Stale: AccessDenied')).toBeInTheDocument();
  });

  it('explains an empty platform', async () => {
    await render({ listAccounts: async () => ({ items: [] }) });
    expect(
      await screen.findByText(/No accounts are configured/),
    ).toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    await render({
      listAccounts: async () => {
        throw new Error('backend down');
      },
    });
    expect(await screen.findAllByText(/backend down/)).not.toHaveLength(0);
  });
});
