import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { screen } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { MlRegistryApi, mlRegistryApiRef } from '../../api/MlRegistryApi';
import { ModelServerContent } from './ModelServerContent';

const CENTRAL =
  'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud-detection/3';
const endpoint = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'ml-prod--fraud-detection-prod', annotations },
  spec: {
    type: 'model-server',
    lifecycle: 'production',
    owner: 'group:default/fraud-ds',
  },
});

async function render(entity: Entity) {
  const api = {
    getGates: async () => ({
      centralArn: CENTRAL,
      gates: [
        {
          gate: 'test-deploy',
          state: 'done',
          reason: 'fraud-detection-test InService',
        },
        {
          gate: 'governance-approval',
          state: 'approved',
          actor: 'user:default/grace.governance',
        },
        {
          gate: 'prod-deploy',
          state: 'done',
          reason: 'fraud-detection-prod InService',
        },
      ],
      audit: [],
    }),
    getVersion: async () => ({
      version: {
        arn: CENTRAL,
        accountId: '111111111111',
        groupName: 'fraud-detection',
        version: 3,
        approvalStatus: 'Approved',
        createdAt: '2026-11-25T10:00:00Z',
        lastModifiedAt: '2026-11-25T10:00:00Z',
        metadata: {},
      },
      promotedTo: [],
      history: [],
      deployments: [],
      lineage: { nodes: [], edges: [] },
    }),
  };
  await renderInTestApp(
    <EntityProvider entity={entity}>
      <ModelServerContent />
    </EntityProvider>,
    {
      apis: [
        [mlRegistryApiRef, api as unknown as MlRegistryApi],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.DENY }),
        ],
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

describe('ModelServerContent', () => {
  it('shows the version the endpoint serves and its deploy stages', async () => {
    await render(endpoint({ 'ml-governance.io/model-package-arn': CENTRAL }));
    expect(
      await screen.findByText('Serves fraud-detection v3'),
    ).toBeInTheDocument();
    expect(await screen.findByText('Deploy to prod')).toBeInTheDocument();
    expect(
      screen.getByText('Why: fraud-detection-prod InService'),
    ).toBeInTheDocument();
    // The approver as a link to their catalog entity, under the name the catalog presents.
    expect(
      screen.getByRole('link', { name: /grace\.governance/ }),
    ).toHaveAttribute('href', '/catalog/default/user/grace.governance');
  });

  it('says so when the endpoint names no model version', async () => {
    await render(endpoint({}));
    expect(
      await screen.findByText(/No model version recorded for this endpoint/),
    ).toBeInTheDocument();
  });
});
