import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { ModelVersion } from '@ml-governance/plugin-ml-registry-common';
import { MlRegistryApi, mlRegistryApiRef } from '../../api/MlRegistryApi';
import { ModelContent } from './ModelContent';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'fraud-dev--fraud-detection',
    annotations: {
      'aws.amazon.com/arn':
        'arn:aws:sagemaker:us-east-1:222222222222:model-package-group/fraud-detection',
    },
  },
  spec: { type: 'ai-model', owner: 'group:default/fraud-ds' },
};

const version = (n: number, status: string): ModelVersion => ({
  arn: `arn:aws:sagemaker:us-east-1:222222222222:model-package/fraud-detection/${n}`,
  accountId: '222222222222',
  groupName: 'fraud-detection',
  version: n,
  approvalStatus: status,
  createdAt: '2026-11-25T10:00:00.000Z',
  lastModifiedAt: '2026-11-25T10:00:00.000Z',
  metadata: { auc: `0.9${n}` },
});

async function render(api: Partial<MlRegistryApi>, subject: Entity = entity) {
  await renderInTestApp(
    <EntityProvider entity={subject}>
      <ModelContent />
    </EntityProvider>,
    {
      apis: [
        [mlRegistryApiRef, api as MlRegistryApi],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        ],
      ],
      // As in an app, where the catalog mounts entity pages (the lineage links to them).
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

describe('ModelContent', () => {
  it('pages the versions through the backend and shows the gates of the one picked', async () => {
    const listVersions = jest.fn(async () => ({
      items: [version(4, 'Rejected'), version(3, 'PendingManualApproval')],
      totalCount: 4,
      offset: 0,
      limit: 20,
    }));
    const getGates = jest.fn(async (arn: string) => ({
      devArn: arn,
      gates: [{ gate: 'dev-approval' as const, state: 'pending' as const }],
      audit: [],
    }));
    const getVersion = jest.fn(async (arn: string) => ({
      version: { ...version(3, 'PendingManualApproval'), arn },
      promotedTo: [],
      history: [],
      deployments: [],
      lineage: { nodes: [], edges: [] },
    }));
    await render({ listVersions, getGates, getVersion });
    expect(await screen.findByText('Pending approval')).toBeInTheDocument();
    expect(screen.getByText('Rejected')).toBeInTheDocument();
    expect(screen.getByText('0.93')).toBeInTheDocument();
    expect(listVersions).toHaveBeenCalledWith(
      '222222222222',
      'fraud-detection',
      { offset: 0, limit: 20, sort: 'version', order: 'desc' },
    );

    await userEvent.click(screen.getByText('Pending approval'));
    expect(await screen.findByText('Version 3: gates')).toBeInTheDocument();
    expect(getGates).toHaveBeenCalledWith(version(3, 'x').arn);
    expect(await screen.findByText('Dev approval')).toBeInTheDocument();
    expect(
      await screen.findByText('No lineage recorded for this version.'),
    ).toBeInTheDocument();
  });

  it('says so when the entity names no model package group', async () => {
    await render({}, { ...entity, metadata: { name: 'x' } });
    expect(
      await screen.findByText(/Not a model package group/),
    ).toBeInTheDocument();
  });
});
