import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { MlRegistryApi, mlRegistryApiRef } from './api/MlRegistryApi';
import {
  EntityMlModelServerContent,
  mlRegistryLegacyPlugin,
  MlRegistryPage,
} from './legacy';

const api = {
  listAccounts: async () => ({
    items: [
      {
        accountId: '222222222222',
        stage: 'dev',
        name: 'fraud-dev',
        stale: false,
        lastSyncAt: '2026-11-25T10:00:00Z',
      },
    ],
  }),
  listModels: async () => ({ items: [] }),
} as unknown as MlRegistryApi;

describe('the legacy frontend system exports', () => {
  it('registers the plugin with its API', () => {
    expect(mlRegistryLegacyPlugin.getId()).toBe('ml-registry');
    expect([...mlRegistryLegacyPlugin.getApis()].map(f => f.api.id)).toEqual([
      'plugin.ml-registry',
    ]);
  });

  it('renders the ML Registry page in a legacy app', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [mlRegistryApiRef, api],
          [
            permissionApiRef,
            {
              authorize: async () => ({ result: AuthorizeResult.DENY }),
            } as any,
          ],
        ]}
      >
        <Routes>
          <Route path="/ml-registry" element={<MlRegistryPage />} />
        </Routes>
      </TestApiProvider>,
      {
        routeEntries: ['/ml-registry'],
        // People and models link to their catalog pages.
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(await screen.findByText('fraud-dev')).toBeInTheDocument();
    expect(
      await screen.findByText(/Models appear once their accounts have synced/),
    ).toBeInTheDocument();
  });

  it('renders the model-server content on an entity page', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[mlRegistryApiRef, api]]}>
        <EntityProvider
          entity={{
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'x' },
            spec: { type: 'model-server' },
          }}
        >
          <EntityMlModelServerContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(/No model version recorded for this endpoint/),
    ).toBeInTheDocument();
  });
});
