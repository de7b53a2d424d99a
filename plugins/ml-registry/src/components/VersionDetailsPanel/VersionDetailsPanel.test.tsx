import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { VersionDetails } from '@ml-governance/plugin-ml-registry-common';
import { MlRegistryApi, mlRegistryApiRef } from '../../api/MlRegistryApi';
import { VersionDetailsPanel } from './VersionDetailsPanel';

const DEV =
  'arn:aws:sagemaker:us-east-1:222222222222:model-package/fraud-detection/1';
const CENTRAL =
  'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud-detection/1';
const version = (arn: string, extra = {}) => ({
  arn,
  accountId: arn.split(':')[4],
  groupName: 'fraud-detection',
  version: 1,
  approvalStatus: 'Approved',
  createdAt: '2026-11-25T10:00:00Z',
  lastModifiedAt: '2026-11-25T10:00:00Z',
  metadata: {},
  ...extra,
});

async function render(details: Partial<VersionDetails>) {
  await renderInTestApp(<VersionDetailsPanel arn={DEV} />, {
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    apis: [
      [
        mlRegistryApiRef,
        {
          getVersion: async () => ({
            version: version(DEV),
            promotedTo: [],
            history: [],
            deployments: [],
            lineage: { nodes: [], edges: [] },
            ...details,
          }),
        } as unknown as MlRegistryApi,
      ],
    ],
  });
}

describe('VersionDetailsPanel', () => {
  it('shows the lineage graph from training data to the prod endpoint, and renders the model card', async () => {
    await render({
      deployments: [
        {
          stage: 'prod',
          accountId: '444444444444',
          accountName: 'ml-prod',
          endpointName: 'fraud-detection-prod',
          endpointArn: 'arn:x',
          status: 'InService',
          modelPackageArn: CENTRAL,
        },
      ],
      lineage: {
        nodes: [
          {
            id: 'data',
            kind: 'data',
            label: 's3://sagemaker-us-east-1-222222222222/datasets/fraud/',
            entityRef: 'resource:default/dataset--fraud-1',
          },
          {
            id: DEV,
            kind: 'dev-package',
            label: 'fraud-detection v1',
            detail: 'fraud-dev: Approved',
          },
          {
            id: CENTRAL,
            kind: 'central-package',
            label: 'fraud-detection v1',
            detail: 'ml-shared: Approved',
          },
          {
            id: 'arn:x',
            kind: 'endpoint',
            label: 'fraud-detection-prod',
            detail: 'prod endpoint in ml-prod: InService',
          },
        ],
        edges: [
          { from: 'data', to: DEV },
          { from: DEV, to: CENTRAL },
          { from: CENTRAL, to: 'arn:x' },
        ],
      },
      modelCard: {
        arn: 'arn:card',
        accountId: '111111111111',
        name: 'fraud-detection',
        version: 2,
        status: 'Approved',
        lastModifiedAt: '2026-11-25T10:00:00Z',
        content: JSON.stringify({
          model_overview: {
            model_name: 'fraud-detection',
            model_description: 'Card fraud (XGBoost)',
          },
          intended_uses: {
            purpose_of_model: 'Flag fraudulent card transactions',
            risk_rating: 'Medium',
          },
          evaluation_details: [
            {
              name: 'holdout',
              metric_groups: [
                {
                  name: 'quality',
                  metric_data: [{ name: 'auc', value: 0.91 }],
                },
              ],
            },
          ],
        }),
      },
    });
    expect(
      await screen.findByRole('link', {
        name: /^Training data s3:\/\/sagemaker-us-east-1-2222/,
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('fraud-dev: Approved')).toBeInTheDocument();
    expect(screen.getByText('ml-shared: Approved')).toBeInTheDocument();
    expect(
      screen.getByText('prod endpoint in ml-prod: InService'),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('Not deployed to any test or prod endpoint.'),
    ).toBeNull();
    expect(
      screen.getByText('fraud-detection v2: Approved'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Flag fraudulent card transactions'),
    ).toBeInTheDocument();
    expect(screen.getByText('0.91')).toBeInTheDocument();
  });

  it('says what is missing: no promotion, no deployment, no card', async () => {
    await render({});
    expect(
      await screen.findByText('No lineage recorded for this version.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Not deployed to any test or prod endpoint.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/No model card in the central registry yet/),
    ).toBeInTheDocument();
  });
});
