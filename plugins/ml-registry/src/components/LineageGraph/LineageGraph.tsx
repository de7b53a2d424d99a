import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Box,
  Button,
  IconButton,
  makeStyles,
  Typography,
} from '@material-ui/core';
import ZoomIn from '@material-ui/icons/ZoomIn';
import ZoomOut from '@material-ui/icons/ZoomOut';
import {
  Lineage,
  LineageNode,
  LineageNodeKind,
} from '@ml-governance/plugin-ml-registry-common';
import {
  MouseEvent,
  PointerEvent,
  RefObject,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { LineageLayout, lineageLayout } from './lineageLayout';

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
  scroller: {
    overflow: 'auto',
    maxHeight: 600,
    cursor: 'grab',
    touchAction: 'none',
  },
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
  classes,
}: {
  node: LineageNode;
  entityUrl?: string;
  x: number;
  y: number;
  /** The drawing's styles, passed down: a styles hook in each of 2,000 boxes costs. */
  classes: ReturnType<typeof useStyles>;
}) {
  const kind = KIND_LABELS[node.kind];
  // A link's accessible name holds its visible text word for word (a clipped
  // label's full text is the node's tooltip).
  const shown = clip(node.label, 34);
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
      <text className={entityUrl ? classes.label : classes.plain} x={12} y={38}>
        {entityUrl ? (
          <a href={entityUrl} aria-label={`${kind} ${shown} in the catalog`}>
            {shown}
          </a>
        ) : (
          shown
        )}
      </text>
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

/** The width of an element, followed as the window or the layout around it changes. */
function useWidth(ref: RefObject<HTMLElement>, shown: boolean): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    setWidth(element.clientWidth);
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, shown]);
  return width;
}

/**
 * Drag to pan a scrolling box; a drag that moved does not also click the
 * link it started on.
 */
function useDragToPan(ref: RefObject<HTMLElement>) {
  const drag = useRef<{ x: number; y: number; left: number; top: number }>();
  const moved = useRef(false);
  return {
    onPointerDown: (e: PointerEvent) => {
      if (e.button !== 0 || !ref.current) return;
      moved.current = false;
      drag.current = {
        x: e.clientX,
        y: e.clientY,
        left: ref.current.scrollLeft,
        top: ref.current.scrollTop,
      };
    },
    onPointerMove: (e: PointerEvent) => {
      const start = drag.current;
      if (!start || !ref.current) return;
      const dx = e.clientX - start.x;
      const dy = e.clientY - start.y;
      if (Math.abs(dx) + Math.abs(dy) > 4) moved.current = true;
      ref.current.scrollLeft = start.left - dx;
      ref.current.scrollTop = start.top - dy;
    },
    onPointerUp: () => {
      drag.current = undefined;
    },
    onPointerLeave: () => {
      drag.current = undefined;
    },
    onClickCapture: (e: MouseEvent) => {
      if (moved.current) e.preventDefault();
      moved.current = false;
    },
  };
}

const ZOOM_STEP = 1.25;
const ZOOM_MIN = 0.2;
const ZOOM_MAX = 2;

/** Zoom out, in and back to fitting the width, with the scale in words. */
function ZoomControls(props: {
  scale: number;
  onZoom: (scale: number | 'fit') => void;
}) {
  const { scale, onZoom } = props;
  return (
    <Box display="flex" alignItems="center" gridGap={4} mb={1}>
      <IconButton
        size="small"
        aria-label="Zoom out"
        disabled={scale <= ZOOM_MIN}
        onClick={() => onZoom(Math.max(ZOOM_MIN, scale / ZOOM_STEP))}
      >
        <ZoomOut fontSize="small" />
      </IconButton>
      <IconButton
        size="small"
        aria-label="Zoom in"
        disabled={scale >= ZOOM_MAX}
        onClick={() => onZoom(Math.min(ZOOM_MAX, scale * ZOOM_STEP))}
      >
        <ZoomIn fontSize="small" />
      </IconButton>
      <Button size="small" onClick={() => onZoom('fit')}>
        Fit to width
      </Button>
      <Typography variant="caption" aria-live="polite">
        {Math.round(scale * 100)} %
      </Typography>
    </Box>
  );
}

/**
 * A version's lineage as a left-to-right graph, fitted to the width it has
 * (any window from 1280 px shows every column) and zoomed and panned by
 * buttons, dragging, scrolling or the keyboard; each node names its kind in
 * words and links to its catalog entity and its AWS console page.
 */
export function LineageGraph({ lineage }: { lineage: Lineage }) {
  const classes = useStyles();
  const entityUrl = useEntityRefLink();
  const layout = useMemo(() => lineageLayout(lineage, SIZE), [lineage]);
  const scroller = useRef<HTMLDivElement>(null);
  const width = useWidth(scroller, lineage.nodes.length > 0);
  const pan = useDragToPan(scroller);
  const [zoom, setZoom] = useState<number | 'fit'>('fit');
  if (lineage.nodes.length === 0) {
    return (
      <Typography variant="body2">
        No lineage recorded for this version.
      </Typography>
    );
  }
  const contentWidth = layout.width + 2 * PAD;
  const contentHeight = layout.height + 2 * PAD;
  const fit = width > 0 ? Math.min(1, width / contentWidth) : 1;
  const scale = zoom === 'fit' ? fit : zoom;
  return (
    <>
      <ZoomControls scale={scale} onZoom={setZoom} />
      <div
        ref={scroller}
        className={classes.scroller}
        role="region"
        aria-label="Lineage: scroll or drag to pan"
        // A scrolling box must take the focus, so keyboard users can pan it with the arrow keys.
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        tabIndex={0}
        {...pan}
      >
        <svg
          role="figure"
          aria-label="Lineage graph"
          width={contentWidth * scale}
          height={contentHeight * scale}
          viewBox={`0 0 ${contentWidth} ${contentHeight}`}
        >
          <LineageDrawing layout={layout} entityUrl={entityUrl} />
        </svg>
      </div>
    </>
  );
}

/** The arrows and the boxes of a laid out lineage. */
function LineageDrawing(props: {
  layout: LineageLayout;
  entityUrl: (ref: string) => string;
}) {
  const { layout, entityUrl } = props;
  const classes = useStyles();
  return (
    <>
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
            classes={classes}
            {...(node.entityRef
              ? { entityUrl: entityUrl(node.entityRef) }
              : {})}
          />
        ))}
      </g>
    </>
  );
}
