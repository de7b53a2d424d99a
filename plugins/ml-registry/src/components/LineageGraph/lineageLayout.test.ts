import { Lineage } from '@ml-governance/plugin-ml-registry-common';
import { lineageLayout } from './lineageLayout';

const size = { width: 100, height: 50, columnGap: 20, rowGap: 10 };

describe('lineageLayout', () => {
  it('puts each kind in its own column, data first, and orders a column by where its upstream nodes sit', () => {
    const lineage: Lineage = {
      nodes: [
        { id: 'c2', kind: 'central-package', label: 'central 2' },
        { id: 'dev', kind: 'dev-package', label: 'dev' },
        { id: 'data', kind: 'data', label: 'data' },
        { id: 'e2', kind: 'endpoint', label: 'e2' },
        { id: 'c1', kind: 'central-package', label: 'central 1' },
        { id: 'e1', kind: 'endpoint', label: 'e1' },
      ],
      edges: [
        { from: 'data', to: 'dev' },
        { from: 'dev', to: 'c2' },
        { from: 'dev', to: 'c1' },
        { from: 'c1', to: 'e1' },
        { from: 'c2', to: 'e2' },
      ],
    };
    const layout = lineageLayout(lineage, size);
    const at = Object.fromEntries(
      layout.nodes.map(p => [p.node.id, [p.x, p.y]]),
    );
    // No pipeline run here: its column is left out rather than left empty.
    expect(at).toEqual({
      data: [0, 0],
      dev: [120, 0],
      c2: [240, 0],
      c1: [240, 60],
      e2: [360, 0],
      e1: [360, 60],
    });
    expect(layout).toMatchObject({ width: 460, height: 110 });
    expect(layout.edges.map(e => `${e.from.node.id}>${e.to.node.id}`)).toEqual([
      'data>dev',
      'dev>c2',
      'dev>c1',
      'c1>e1',
      'c2>e2',
    ]);
  });

  it('drops edges to nodes it does not have', () => {
    const layout = lineageLayout(
      {
        nodes: [{ id: 'a', kind: 'data', label: 'a' }],
        edges: [{ from: 'a', to: 'gone' }],
      },
      size,
    );
    expect(layout.edges).toEqual([]);
    expect(layout).toMatchObject({ width: 100, height: 50 });
  });
});
