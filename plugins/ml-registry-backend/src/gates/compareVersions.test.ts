import { VersionFacts } from '@ml-governance/plugin-ml-registry-common';
import {
  cardSectionChanges,
  compareMetrics,
  compareVersions,
} from './compareVersions';

const facts = (version: number, more: Partial<VersionFacts> = {}) =>
  ({
    arn: `arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud/${version}`,
    version,
    approvalStatus: 'Approved',
    registeredBy: 'user:default/dana.scientist',
    trainingData: 's3://data/fraud/',
    codeSources: ['commit abc'],
    images: [{ image: 'xgboost@sha256:aa', digest: 'sha256:aa' }],
    metrics: { auc: 0.91, accuracy: 0.88 },
    biasReport: `s3://reports/v${version}/bias.json`,
    modelCard: { version: 1, status: 'Approved', content: '{"a":1,"b":2}' },
    problems: [],
    ...more,
  } as VersionFacts);

describe('compareVersions', () => {
  it('puts metrics side by side with their deltas, free of float noise, and their thresholds', () => {
    expect(
      compareMetrics(facts(4, { metrics: { auc: 0.93, f1: 0.7 } }), facts(3), {
        auc: 0.92,
        precision: 0.5,
      }),
    ).toEqual([
      {
        name: 'auc',
        value: 0.93,
        baseline: 0.91,
        delta: 0.02,
        threshold: 0.92,
        meetsThreshold: true,
      },
      { name: 'precision', threshold: 0.5, meetsThreshold: false },
      { name: 'f1', value: 0.7 },
      { name: 'accuracy', baseline: 0.88 },
    ]);
  });

  it('names what changed against the version the next stage runs', () => {
    const comparison = compareVersions(
      'governance-approval',
      facts(4, {
        images: [{ image: 'xgboost@sha256:bb', digest: 'sha256:bb' }],
        modelCard: { version: 2, status: 'Draft', content: '{"a":1,"b":3}' },
        registeredBy: 'user:default/chen.scientist',
      }),
      { basis: 'next-stage', stage: 'prod', facts: facts(3) },
      {},
    );
    expect(comparison).toMatchObject({
      gate: 'governance-approval',
      basis: 'next-stage',
      stage: 'prod',
      baseline: { version: 3 },
      changes: ['image-digests', 'model-card', 'bias-report', 'registered-by'],
      modelCardChanges: ['b'],
    });
  });

  it('compares with nothing when there is nothing before', () => {
    const comparison = compareVersions(
      'dev-approval',
      facts(1),
      { basis: 'none' },
      { auc: 0.9 },
    );
    expect(comparison.baseline).toBeUndefined();
    expect(comparison.changes).toEqual([]);
    expect(comparison.metrics[0]).toEqual({
      name: 'auc',
      value: 0.91,
      threshold: 0.9,
      meetsThreshold: true,
    });
  });

  it('reads a card that is not JSON as one section', () => {
    expect(cardSectionChanges('plain', '{"a":1}')).toEqual(['a', 'content']);
    expect(cardSectionChanges(undefined, undefined)).toEqual([]);
  });
});
