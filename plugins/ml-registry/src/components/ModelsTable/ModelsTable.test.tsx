import { renderInTestApp } from '@backstage/frontend-test-utils';
import { modelSummary } from '../../__testUtils__/modelSummary';
import { permissionsByAccount } from '../../__testUtils__/permissionsByAccount';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  AccountStatus,
  ModelSummary,
} from '@ml-governance/plugin-ml-registry-common';
import {
  MlRegistryApi,
  mlRegistryApiRef,
  ModelsFilter,
} from '../../api/MlRegistryApi';
import { ModelsTable } from './ModelsTable';

const accounts: AccountStatus[] = [
  {
    accountId: '111111111111',
    stage: 'shared-services',
    name: 'ml-shared',
    stale: false,
    lastSyncAt: '2026-11-25T10:00:00Z',
  },
  {
    accountId: '222222222222',
    stage: 'dev',
    name: 'fraud-dev',
    team: 'group:default/fraud-ds',
    stale: false,
    lastSyncAt: '2026-11-25T10:00:00Z',
  },
  {
    accountId: '222222222223',
    stage: 'dev',
    name: 'churn-dev',
    team: 'group:default/churn-ds',
    stale: true,
    lastError: 'AccessDenied: no role',
    lastSyncAt: '2026-11-24T09:00:00Z',
  },
];
const model = (
  accountId: string,
  accountName: string,
  stage: string,
  groupName: string,
  owner: string,
  pending = 0,
): ModelSummary =>
  modelSummary(accountId, accountName, stage, groupName, {
    owner,
    latestVersion: 3,
    statusCounts: {
      Approved: 3 - pending,
      ...(pending ? { PendingManualApproval: pending } : {}),
    },
  });
const MODELS = [
  model(
    '111111111111',
    'ml-shared',
    'shared-services',
    'fraud-detection',
    'group:default/fraud-ds',
    1,
  ),
  model(
    '222222222222',
    'fraud-dev',
    'dev',
    'fraud-detection',
    'group:default/fraud-ds',
    1,
  ),
  model(
    '222222222223',
    'churn-dev',
    'dev',
    'churn-prediction',
    'group:default/churn-ds',
  ),
];

/** `allowed`: the permission names, each with the account whose versions it is allowed on. */
async function render(
  listModels: (f?: ModelsFilter) => Promise<{ items: ModelSummary[] }>,
  allowed: [string, string][] = [],
) {
  await renderInTestApp(<ModelsTable accounts={accounts} />, {
    apis: [
      [mlRegistryApiRef, { listModels } as unknown as MlRegistryApi],
      permissionsByAccount(allowed),
    ],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

describe('ModelsTable', () => {
  it('lists every model with a link to its entity, and warns about stale accounts in words', async () => {
    await render(async () => ({ items: MODELS }));
    expect(await screen.findByText('churn-prediction')).toBeInTheDocument();
    expect(
      screen.getAllByRole('link', { name: 'fraud-detection' })[1],
    ).toHaveAttribute(
      'href',
      '/catalog/default/resource/fraud-dev--fraud-detection',
    );
    expect(
      screen.getByText(
        `1 account is stale: their models may be out of date. churn-dev (222222222223): cannot be reached, shown as last synced ${new Date(
          '2026-11-24T09:00:00Z',
        ).toLocaleString()}`,
        { exact: false },
      ),
    ).toBeInTheDocument();
  });

  it('filters by stage on the backend and by search and team here', async () => {
    const listModels = jest.fn(async (f?: ModelsFilter) => ({
      items: f?.stage === 'dev' ? MODELS.slice(1) : MODELS,
    }));
    await render(listModels);
    await screen.findByText('churn-prediction');

    await userEvent.click(screen.getByLabelText('Stage'));
    await userEvent.click(await screen.findByRole('option', { name: 'dev' }));
    await waitFor(() =>
      expect(listModels).toHaveBeenLastCalledWith({ stage: 'dev' }),
    );
    await waitFor(() =>
      expect(screen.queryByText('ml-shared')).not.toBeInTheDocument(),
    );

    await userEvent.type(screen.getByLabelText('Search models'), 'churn');
    await waitFor(() =>
      expect(screen.queryByText('fraud-detection')).not.toBeInTheDocument(),
    );
    expect(screen.getByText('churn-prediction')).toBeInTheDocument();

    await userEvent.clear(screen.getByLabelText('Search models'));
    await userEvent.click(screen.getByLabelText('Team'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'group:default/fraud-ds' }),
    );
    await waitFor(() =>
      expect(screen.queryByText('churn-prediction')).not.toBeInTheDocument(),
    );
  });
});
