import {
  DecisionGate,
  MetricComparison,
  VersionComparison,
  VersionFacts,
} from '@ml-governance/plugin-ml-registry-common';

/** What a version is compared with at a decision gate. */
export type Baseline =
  | { basis: 'next-stage'; stage: 'test' | 'prod'; facts: VersionFacts }
  | { basis: 'previous-approved'; facts: VersionFacts }
  | { basis: 'none' };

type Change = VersionComparison['changes'][number];

const same = (a: unknown, b: unknown) =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Each metric of either version, with its delta and threshold; thresholds' metrics first, in their order. */
export function compareMetrics(
  version: VersionFacts,
  baseline: VersionFacts | undefined,
  thresholds: Record<string, number>,
): MetricComparison[] {
  const names = [
    ...new Set([
      ...Object.keys(thresholds),
      ...Object.keys(version.metrics).sort(),
      ...Object.keys(baseline?.metrics ?? {}).sort(),
    ]),
  ];
  return names.map(name => {
    const value = version.metrics[name];
    const before = baseline?.metrics[name];
    const threshold = thresholds[name];
    const delta =
      value !== undefined && before !== undefined
        ? // Rounded off the float noise of a subtraction (0.93 - 0.91 is 0.020000000000000018).
          Number((value - before).toFixed(9))
        : undefined;
    return {
      name,
      ...(value !== undefined ? { value } : {}),
      ...(before !== undefined ? { baseline: before } : {}),
      ...(delta !== undefined ? { delta } : {}),
      ...(threshold !== undefined
        ? {
            threshold,
            meetsThreshold: value !== undefined && value >= threshold,
          }
        : {}),
    };
  });
}

/** The top-level sections of a model card's JSON content that differ between two cards. */
export function cardSectionChanges(
  content: string | undefined,
  before: string | undefined,
): string[] {
  const parse = (text: string | undefined): Record<string, unknown> => {
    try {
      const parsed = JSON.parse(text ?? '{}');
      return parsed && typeof parsed === 'object' ? parsed : {};
    } catch {
      return { content: text };
    }
  };
  const a = parse(content);
  const b = parse(before);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter(section => !same(a[section], b[section]))
    .sort();
}

/** Which of what an approver weighs differs between the two versions. */
function changesOf(version: VersionFacts, baseline: VersionFacts): Change[] {
  const digests = (f: VersionFacts) => f.images.map(i => i.digest ?? i.image);
  const checks: [Change, boolean][] = [
    ['training-data', !same(version.trainingData, baseline.trainingData)],
    ['code-sources', !same(version.codeSources, baseline.codeSources)],
    ['image-digests', !same(digests(version), digests(baseline))],
    [
      'model-card',
      !same(version.modelCard?.content, baseline.modelCard?.content),
    ],
    ['bias-report', !same(version.biasReport, baseline.biasReport)],
    ['registered-by', !same(version.registeredBy, baseline.registeredBy)],
  ];
  return checks.filter(([, changed]) => changed).map(([change]) => change);
}

/**
 * A version beside its baseline at a decision gate: metrics side by side with
 * their deltas and thresholds, and what else changed. Reads nothing: the
 * facts of both are read beforehand.
 */
export function compareVersions(
  gate: DecisionGate,
  version: VersionFacts,
  baseline: Baseline,
  thresholds: Record<string, number>,
): VersionComparison {
  const other = baseline.basis === 'none' ? undefined : baseline.facts;
  return {
    gate,
    basis: baseline.basis,
    ...(baseline.basis === 'next-stage' ? { stage: baseline.stage } : {}),
    version,
    ...(other ? { baseline: other } : {}),
    metrics: compareMetrics(version, other, thresholds),
    changes: other ? changesOf(version, other) : [],
    ...(other && (version.modelCard || other.modelCard)
      ? {
          modelCardChanges: cardSectionChanges(
            version.modelCard?.content,
            other.modelCard?.content,
          ),
        }
      : {}),
  };
}
