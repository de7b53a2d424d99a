import {
  Lineage,
  LineageNode,
  LineageNodeKind,
} from '@ml-governance/plugin-ml-registry-common';

/** The columns of a lineage, left to right: data flows from the first to the last. */
const COLUMNS: LineageNodeKind[] = [
  'data',
  'pipeline-run',
  'dev-package',
  'central-package',
  'endpoint',
];

export interface PlacedNode {
  node: LineageNode;
  x: number;
  y: number;
}

export interface LineageLayout {
  nodes: PlacedNode[];
  edges: { from: PlacedNode; to: PlacedNode }[];
  width: number;
  height: number;
}

/**
 * Places a lineage in columns by kind, each node below the last of its
 * column, ordered by where its upstream nodes sit so edges mostly run
 * straight. Linear in the size of the graph: a lineage's ranks are known from
 * its kinds, so a general graph layout (and its cost at hundreds of nodes)
 * is not needed.
 */
export function lineageLayout(
  lineage: Lineage,
  size: { width: number; height: number; columnGap: number; rowGap: number },
): LineageLayout {
  const upstream = new Map<string, string[]>();
  for (const e of lineage.edges)
    upstream.set(e.to, [...(upstream.get(e.to) ?? []), e.from]);
  const row = new Map<string, number>();
  const placed = new Map<string, PlacedNode>();
  const used = COLUMNS.filter(kind => lineage.nodes.some(n => n.kind === kind));
  let rows = 0;
  used.forEach((kind, column) => {
    const order = (n: LineageNode) => {
      const parents = (upstream.get(n.id) ?? [])
        .map(p => row.get(p))
        .filter((r): r is number => r !== undefined);
      return parents.length
        ? parents.reduce((a, b) => a + b, 0) / parents.length
        : Number.MAX_SAFE_INTEGER;
    };
    const members = lineage.nodes
      .filter(n => n.kind === kind)
      .map((n, i) => ({ n, key: order(n), i }));
    members.sort((a, b) => a.key - b.key || a.i - b.i);
    members.forEach(({ n }, i) => {
      row.set(n.id, i);
      placed.set(n.id, {
        node: n,
        x: column * (size.width + size.columnGap),
        y: i * (size.height + size.rowGap),
      });
    });
    rows = Math.max(rows, members.length);
  });
  const edges = lineage.edges.flatMap(e => {
    const from = placed.get(e.from);
    const to = placed.get(e.to);
    return from && to ? [{ from, to }] : [];
  });
  return {
    nodes: [...placed.values()],
    edges,
    width: Math.max(
      0,
      used.length * (size.width + size.columnGap) - size.columnGap,
    ),
    height: Math.max(0, rows * (size.height + size.rowGap) - size.rowGap),
  };
}
