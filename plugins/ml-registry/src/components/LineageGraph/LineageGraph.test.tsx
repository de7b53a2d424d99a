import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import { Lineage } from '@ml-governance/plugin-ml-registry-common';
import { LineageGraph } from './LineageGraph';

const lineage: Lineage = {
  nodes: [
    {
      id: 'data:s3://b/fraud/',
      kind: 'data',
      label: 's3://b/fraud/',
      detail: 'Training data',
      entityRef: 'resource:default/dataset--fraud-1234abcd',
      consoleUrl: 'https://s3.console.aws.amazon.com/s3/buckets/b',
    },
    {
      id: 'run',
      kind: 'pipeline-run',
      label: 'fraud-train/execution/abc',
      detail: 'Pipeline run in fraud-dev',
    },
    {
      id: 'dev',
      kind: 'dev-package',
      label: 'fraud-detection v3',
      detail: 'fraud-dev: Approved',
      entityRef: 'resource:default/fraud-dev--fraud-detection',
      consoleUrl: 'https://console/dev',
    },
    {
      id: 'prod',
      kind: 'endpoint',
      label: 'fraud-detection-prod',
      detail: 'prod endpoint in ml-prod: InService',
      entityRef: 'component:default/ml-prod--fraud-detection-prod',
    },
  ],
  edges: [
    { from: 'data:s3://b/fraud/', to: 'run' },
    { from: 'run', to: 'dev' },
    { from: 'dev', to: 'prod' },
  ],
};

const render = (l: Lineage) =>
  renderInTestApp(<LineageGraph lineage={l} />, {
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });

describe('LineageGraph', () => {
  it('draws each step with its kind in words and links it to its catalog entity and AWS console page', async () => {
    await render(lineage);
    const graph = await screen.findByRole('figure', { name: 'Lineage graph' });
    expect(within(graph).getAllByTestId('lineage-node')).toHaveLength(4);
    for (const kind of [
      'Training data',
      'Pipeline run',
      'Dev package',
      'Endpoint',
    ]) {
      expect(within(graph).getAllByText(kind).length).toBeGreaterThan(0);
    }
    expect(
      within(graph).getByRole('link', {
        name: 'Dev package fraud-detection v3 in the catalog',
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/resource/fraud-dev--fraud-detection',
    );
    expect(
      within(graph).getByRole('link', {
        name: 'Endpoint fraud-detection-prod in the catalog',
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/ml-prod--fraud-detection-prod',
    );
    const console = within(graph).getByRole('link', {
      name: 'Training data s3://b/fraud/ in the AWS console',
    });
    expect(console).toHaveAttribute(
      'href',
      'https://s3.console.aws.amazon.com/s3/buckets/b',
    );
    expect(console).toHaveAttribute('target', '_blank');
    // A node with neither (a run of an unknown project) is text, not a link.
    expect(
      within(graph).queryByRole('link', { name: /Pipeline run/ }),
    ).toBeNull();
    expect(
      within(graph).getByText('prod endpoint in ml-prod: InService'),
    ).toBeInTheDocument();
  });

  it('says so when nothing is recorded', async () => {
    await render({ nodes: [], edges: [] });
    expect(
      await screen.findByText('No lineage recorded for this version.'),
    ).toBeInTheDocument();
  });
});
