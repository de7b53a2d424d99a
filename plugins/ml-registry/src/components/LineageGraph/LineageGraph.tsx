import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import { makeStyles, Typography } from '@material-ui/core';
import {
  Lineage,
  LineageNode,
  LineageNodeKind,
} from '@ml-governance/plugin-ml-registry-common';
import { useMemo } from 'react';
import { lineageLayout } from './lineageLayout';

const KIND_LABELS: Record<LineageNodeKind, string> = {
  data: 'Training data',
  'pipeline-run': 'Pipeline run',
  'dev-package': 'Dev package',
  'central-package': 'Central package',
  endpoint: 'Endpoint',
};

const SIZE = { width: 260, height: 86, columnGap: 60, rowGap: 16 };
const PAD = 8;

const useStyles = makeStyles(theme => ({
  scroller: { overflow: 'auto', maxHeight: 600 },
  box: {
    fill: theme.palette.background.paper,
    stroke: theme.palette.divider,
    strokeWidth: 1,
  },
  edge: {
    fill: 'none',
    stroke: theme.palette.text.secondary,
    strokeWidth: 1.5,
  },
  arrow: { fill: theme.palette.text.secondary },
  kind: {
    fill: theme.palette.text.secondary,
    fontSize: 11,
    fontWeight: 600,
    textTransform: 'uppercase',
  },
  label: {
    fill: theme.palette.primary.main,
    fontSize: 13,
    textDecoration: 'underline',
  },
  plain: { fill: theme.palette.text.primary, fontSize: 13 },
  detail: { fill: theme.palette.text.secondary, fontSize: 11 },
  console: {
    fill: theme.palette.primary.main,
    fontSize: 11,
    textDecoration: 'underline',
  },
}));

const clip = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

function LineageNodeBox({
  node,
  entityUrl,
  x,
  y,
}: {
  node: LineageNode;
  entityUrl?: string;
  x: number;
  y: number;
}) {
  const classes = useStyles();
  const kind = KIND_LABELS[node.kind];
  const label = (
    <text className={entityUrl ? classes.label : classes.plain} x={12} y={38}>
      {clip(node.label, 34)}
    </text>
  );
  return (
    <g data-testid="lineage-node" transform={`translate(${x},${y})`}>
      {/* The whole of what the box may clip, as its tooltip. */}
      <title>{`${kind}: ${node.label}${
        node.detail ? ` (${node.detail})` : ''
      }`}</title>
      <rect
        className={classes.box}
        width={SIZE.width}
        height={SIZE.height}
        rx={6}
      />
      <text className={classes.kind} x={12} y={18}>
        {kind}
      </text>
      {entityUrl ? (
        <a href={entityUrl} aria-label={`${kind} ${node.label} in the catalog`}>
          {label}
        </a>
      ) : (
        label
      )}
      {node.detail && (
        <text className={classes.detail} x={12} y={56}>
          {clip(node.detail, 42)}
        </text>
      )}
      {node.consoleUrl && (
        <a
          href={node.consoleUrl}
          target="_blank"
          rel="noopener noreferrer"
          aria-label={`${kind} ${node.label} in the AWS console`}
        >
          <text className={classes.console} x={12} y={76}>
            AWS console
          </text>
        </a>
      )}
    </g>
  );
}

/**
 * A version's lineage as a left-to-right graph in a scrolling box; each node
 * names its kind in words and links to its catalog entity and its AWS console
 * page.
 */
export function LineageGraph({ lineage }: { lineage: Lineage }) {
  const classes = useStyles();
  const entityUrl = useEntityRefLink();
  const layout = useMemo(() => lineageLayout(lineage, SIZE), [lineage]);
  if (lineage.nodes.length === 0) {
    return (
      <Typography variant="body2">
        No lineage recorded for this version.
      </Typography>
    );
  }
  return (
    <div className={classes.scroller}>
      <svg
        role="figure"
        aria-label="Lineage graph"
        width={layout.width + 2 * PAD}
        height={layout.height + 2 * PAD}
      >
        <defs>
          <marker
            id="lineage-arrow"
            viewBox="0 0 10 10"
            refX="10"
            refY="5"
            markerWidth="8"
            markerHeight="8"
            orient="auto"
          >
            <path className={classes.arrow} d="M 0 0 L 10 5 L 0 10 z" />
          </marker>
        </defs>
        <g transform={`translate(${PAD},${PAD})`}>
          {layout.edges.map(({ from, to }) => {
            const x1 = from.x + SIZE.width;
            const y1 = from.y + SIZE.height / 2;
            const x2 = to.x;
            const y2 = to.y + SIZE.height / 2;
            const mid = (x1 + x2) / 2;
            return (
              <path
                key={`${from.node.id}>${to.node.id}`}
                className={classes.edge}
                markerEnd="url(#lineage-arrow)"
                d={`M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}`}
              />
            );
          })}
          {layout.nodes.map(({ node, x, y }) => (
            <LineageNodeBox
              key={node.id}
              node={node}
              x={x}
              y={y}
              {...(node.entityRef
                ? { entityUrl: entityUrl(node.entityRef) }
                : {})}
            />
          ))}
        </g>
      </svg>
    </div>
  );
}
