import { MlAccount } from '@ml-governance/plugin-ml-registry-common';
import { ModelVersionRecord } from '../database/VersionStore';
import { versionLineage } from './versionLineage';

const accounts = new Map<string, MlAccount>([
  [
    '111111111111',
    { accountId: '111111111111', stage: 'shared-services', name: 'ml-shared' },
  ],
  [
    '222222222222',
    { accountId: '222222222222', stage: 'dev', name: 'fraud-dev' },
  ],
]);
const run =
  'arn:aws:sagemaker:eu-west-1:222222222222:pipeline/fraud-train/execution/abc123';
const at = new Date('2026-11-01T00:00:00Z');
const version = (
  accountId: string,
  n: number,
  extra: Partial<ModelVersionRecord> = {},
): ModelVersionRecord => ({
  arn: `arn:aws:sagemaker:eu-west-1:${accountId}:model-package/fraud-detection/${n}`,
  accountId,
  groupName: 'fraud-detection',
  version: n,
  approvalStatus: 'Approved',
  createdAt: at,
  lastModifiedAt: at,
  metadata: {},
  ...extra,
});
const dev = version('222222222222', 3, {
  trainingData: 's3://bucket/datasets/fraud/',
  generatedBy: run,
  projectId: 'p-1',
});
const central = version('111111111111', 1, {
  sourceArn: dev.arn,
  trainingData: 's3://bucket/datasets/fraud/',
});
const base = {
  accounts,
  projectNames: new Map([['222222222222/p-1', 'fraud-experiments']]),
  region: 'eu-west-1',
  deployments: [],
};

describe('versionLineage', () => {
  it('runs from the data through the pipeline run and both registries to the endpoints, linking each to its entity and console page', () => {
    const lineage = versionLineage({
      ...base,
      version: central,
      source: dev,
      promotedTo: [],
      deployments: [
        {
          stage: 'prod',
          accountId: '444444444444',
          accountName: 'ml-prod',
          endpointName: 'fraud-prod',
          endpointArn: 'arn:endpoint/fraud-prod',
          status: 'InService',
          modelPackageArn: central.arn,
        },
      ],
    });
    expect(lineage.nodes.map(n => [n.kind, n.entityRef])).toEqual([
      [
        'data',
        expect.stringMatching(/^resource:default\/dataset--fraud-[0-9a-f]{8}$/),
      ],
      ['pipeline-run', 'system:default/fraud-dev--fraud-experiments'],
      ['dev-package', 'resource:default/fraud-dev--fraud-detection'],
      ['central-package', 'resource:default/ml-shared--fraud-detection'],
      ['endpoint', 'component:default/ml-prod--fraud-prod'],
    ]);
    expect(lineage.nodes.map(n => n.consoleUrl)).toEqual([
      'https://s3.console.aws.amazon.com/s3/buckets/bucket?region=eu-west-1&prefix=datasets%2Ffraud%2F',
      'https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/pipelines/fraud-train/executions/abc123',
      'https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/model-registry/fraud-detection/versions/3',
      'https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/model-registry/fraud-detection/versions/1',
      'https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/endpoints/fraud-prod',
    ]);
    expect(lineage.edges).toEqual([
      { from: 'data:s3://bucket/datasets/fraud/', to: run },
      { from: run, to: dev.arn },
      { from: dev.arn, to: central.arn },
      { from: central.arn, to: 'arn:endpoint/fraud-prod' },
    ]);
    expect(lineage.nodes[3].detail).toBe('ml-shared: Approved');
  });

  it('links an Athena table to its Glue page and shows every central copy of a dev version', () => {
    const athenaDev = {
      ...dev,
      trainingData: 'athena://555555555555/churn_lake.customer_features',
      generatedBy: undefined,
    };
    const second = version('111111111111', 2, { sourceArn: dev.arn });
    const lineage = versionLineage({
      ...base,
      version: athenaDev,
      promotedTo: [central, second],
    });
    expect(lineage.nodes[0].consoleUrl).toBe(
      'https://eu-west-1.console.aws.amazon.com/glue/home?region=eu-west-1#/v2/data-catalog/tables/view/customer_features?database=churn_lake',
    );
    expect(lineage.edges).toEqual([
      {
        from: 'data:athena://555555555555/churn_lake.customer_features',
        to: dev.arn,
      },
      { from: dev.arn, to: central.arn },
      { from: dev.arn, to: second.arn },
    ]);
  });

  it('starts at the central copy when the dev version is not known, and leaves out entity links for unconfigured accounts', () => {
    const orphan = version('777777777777', 5, {
      sourceArn: 'arn:aws:sagemaker:eu-west-1:888888888888:model-package/x/1',
    });
    const lineage = versionLineage({
      ...base,
      version: orphan,
      promotedTo: [],
    });
    expect(lineage.nodes).toEqual([
      expect.objectContaining({
        kind: 'central-package',
        detail: '777777777777: Approved',
      }),
    ]);
    expect(lineage.nodes[0].entityRef).toBeUndefined();
    expect(lineage.edges).toEqual([]);
  });
});
