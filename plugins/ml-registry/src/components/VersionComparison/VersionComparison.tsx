import { Fragment, ReactNode } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import {
  DecisionGate,
  VersionComparison as Comparison,
  VersionFacts,
} from '@ml-governance/plugin-ml-registry-common';
import { mlRegistryApiRef } from '../../api/MlRegistryApi';
import { Actor } from '../Actor/Actor';

type Change = Comparison['changes'][number];

/** What the other version is, in words. */
function basisText(c: Comparison): string {
  const other = c.baseline ? `v${c.baseline.version}` : '';
  if (c.basis === 'next-stage') return `${other}, what ${c.stage} runs now`;
  if (c.basis === 'previous-approved')
    return `${other}, the previous approved version`;
  return 'nothing: no earlier approved version, and the next stage runs none';
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

function MetricsTable(props: { comparison: Comparison }) {
  const { version, baseline, metrics } = props.comparison;
  if (!metrics.length)
    return <Typography variant="body2">No metrics recorded.</Typography>;
  return (
    <Table size="small" aria-label="Metrics compared">
      <TableHead>
        <TableRow>
          <TableCell component="th">Metric</TableCell>
          <TableCell component="th">v{version.version}</TableCell>
          {baseline && (
            <TableCell component="th">v{baseline.version}</TableCell>
          )}
          {baseline && <TableCell component="th">Change</TableCell>}
          <TableCell component="th">Threshold</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {metrics.map(m => (
          <TableRow key={m.name}>
            <TableCell>{m.name}</TableCell>
            <TableCell>{m.value ?? '-'}</TableCell>
            {baseline && <TableCell>{m.baseline ?? '-'}</TableCell>}
            {baseline && (
              <TableCell>
                {m.delta === undefined ? '-' : signed(m.delta)}
              </TableCell>
            )}
            <TableCell>
              {m.threshold === undefined
                ? '-'
                : `at least ${m.threshold}: ${
                    m.meetsThreshold ? 'met' : 'not met'
                  }`}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** One thing the approver weighs, this version's beside the other's, said changed or the same. */
function Fact(props: {
  label: string;
  change: Change;
  comparison: Comparison;
  show: (facts: VersionFacts) => ReactNode;
}) {
  const { label, change, comparison, show } = props;
  const { version, baseline } = comparison;
  const changed = comparison.changes.includes(change);
  return (
    <Box mt={1}>
      <Typography variant="subtitle2" component="h4">
        {label}
        {baseline && `: ${changed ? 'changed' : 'same'}`}
      </Typography>
      <Typography variant="body2" component="div">
        v{version.version}: {show(version)}
      </Typography>
      {baseline && changed && (
        <Typography variant="body2" component="div">
          v{baseline.version}: {show(baseline)}
        </Typography>
      )}
    </Box>
  );
}

const orNone = (value: ReactNode | undefined) => value ?? 'none recorded';

/** The facts compared, in the order shown; `detail` follows its fact. */
const FACTS: Array<{
  label: string;
  change: Change;
  show: (facts: VersionFacts) => ReactNode;
  detail?: (comparison: Comparison) => ReactNode;
}> = [
  {
    label: 'Training data',
    change: 'training-data',
    show: f => orNone(f.trainingData),
  },
  {
    label: 'Code',
    change: 'code-sources',
    show: f => orNone(f.codeSources?.join(', ') || undefined),
  },
  {
    label: 'Container image',
    change: 'image-digests',
    show: f =>
      orNone(
        f.images.map(i => i.digest ?? `${i.image} (no digest)`).join(', ') ||
          undefined,
      ),
  },
  {
    label: 'Model card',
    change: 'model-card',
    show: f =>
      f.modelCard
        ? `card version ${f.modelCard.version}, ${f.modelCard.status}`
        : 'no card describes it',
    detail: c =>
      c.modelCardChanges &&
      c.modelCardChanges.length > 0 && (
        <Typography variant="body2">
          Card sections changed: {c.modelCardChanges.join(', ')}
        </Typography>
      ),
  },
  {
    label: 'Bias report',
    change: 'bias-report',
    show: f => orNone(f.biasReport),
  },
  {
    label: 'Registered by',
    change: 'registered-by',
    show: f => (f.registeredBy ? <Actor who={f.registeredBy} /> : 'unknown'),
  },
];

/**
 * What changed, for the approver of a decision gate: this version beside the
 * version the next stage runs now (or else the previous approved version),
 * metrics side by side with their deltas and thresholds, then training data,
 * code, container images, model card, bias report and who registered it.
 */
export function VersionComparison(props: { arn: string; gate: DecisionGate }) {
  const api = useApi(mlRegistryApiRef);
  const { value, loading, error } = useAsync(
    async () => api.getComparison(props.arn, props.gate),
    [api, props.arn, props.gate],
  );
  if (loading) return <Progress />;
  if (error || !value)
    return (
      <Typography variant="body2" role="alert">
        Could not read what changed: {error?.message ?? 'no answer'}
      </Typography>
    );
  const c = value;
  return (
    <Box mt={2} component="section" aria-label="What changed">
      <Typography variant="subtitle1" component="h3">
        What changed: v{c.version.version} compared with {basisText(c)}
      </Typography>
      <MetricsTable comparison={c} />
      {FACTS.map(({ detail, ...fact }) => (
        <Fragment key={fact.change}>
          <Fact {...fact} comparison={c} />
          {detail?.(c)}
        </Fragment>
      ))}
      {[...c.version.problems, ...(c.baseline?.problems ?? [])].length > 0 && (
        <Typography variant="caption" component="p">
          Not read:{' '}
          {[
            ...c.version.problems.map(p => `v${c.version.version} ${p}`),
            ...(c.baseline?.problems ?? []).map(
              p => `v${c.baseline!.version} ${p}`,
            ),
          ].join('; ')}
        </Typography>
      )}
    </Box>
  );
}
