import { mustBe, Violation } from './check';
import { MemberRef, Shape } from './model';
import { fromText } from './text';

/**
 * Decodes awsQuery form parameters (STS) into a value of the input shape:
 * `Name`, `List.member.N`, `Map.entry.N.key`/`.value` (or their flattened
 * forms), scalars parsed by their shape. What cannot be decoded is reported.
 * https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
 */

interface Node {
  value?: string;
  children: Map<string, Node>;
}

function tree(params: URLSearchParams, envelope: string[]): Node {
  const root: Node = { children: new Map() };
  for (const [name, value] of params) {
    if (envelope.includes(name)) continue;
    let node = root;
    for (const part of name.split('.')) {
      let child = node.children.get(part);
      if (!child) node.children.set(part, (child = { children: new Map() }));
      node = child;
    }
    node.value = value;
  }
  return root;
}

const lowerFirst = (name: string) =>
  name.charAt(0).toLowerCase() + name.slice(1);

/** Items numbered 1..N under `node`, in order. */
function items(node: Node | undefined, path: string, out: Violation[]): Node[] {
  if (!node) return [];
  const found: Node[] = [];
  for (const [index, child] of node.children) {
    if (!/^[1-9]\d*$/.test(index))
      out.push({
        kind: 'unknown',
        path: `${path}.${index}`,
        value: child.value,
        constraint: '',
      });
    else found[Number(index) - 1] = child;
  }
  return found;
}

type Shapes = Record<string, Shape>;

function decodeStructure(
  shapes: Shapes,
  shape: Shape,
  node: Node,
  path: string,
  out: Violation[],
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, child] of node.children) {
    const entry = Object.entries(shape.members ?? {}).find(
      ([name, m]) => (m.locationName ?? name) === key,
    );
    const childPath = path ? `${path}.${lowerFirst(key)}` : lowerFirst(key);
    if (!entry)
      out.push({
        kind: 'unknown',
        path: childPath,
        value: child.value,
        constraint: '',
      });
    else result[entry[0]] = decode(shapes, entry[1], child, childPath, out);
  }
  return result;
}

/** A list's items, under `member` unless the list is flattened; anything else beside them is reported. */
function decodeList(
  shapes: Shapes,
  shape: Shape,
  flattened: boolean,
  node: Node,
  path: string,
  out: Violation[],
): unknown[] {
  const holder = flattened
    ? node
    : node.children.get(shape.member!.locationName ?? 'member');
  if (!flattened) {
    for (const [key, child] of node.children) {
      if (child !== holder)
        out.push({
          kind: 'unknown',
          path: `${path}.${key}`,
          value: child.value,
          constraint: '',
        });
    }
  }
  return items(holder, path, out).map((item, i) =>
    decode(shapes, shape.member!, item, `${path}.${i + 1}.member`, out),
  );
}

/** A map's numbered entries, each with a key and a value, under `entry` unless the map is flattened. */
function decodeMap(
  shapes: Shapes,
  shape: Shape,
  flattened: boolean,
  node: Node,
  path: string,
  out: Violation[],
): Record<string, unknown> {
  const holder = flattened ? node : node.children.get('entry');
  const result: Record<string, unknown> = {};
  for (const entry of items(holder, path, out)) {
    const key = entry?.children.get(shape.key!.locationName ?? 'key')?.value;
    const value = entry?.children.get(shape.value!.locationName ?? 'value');
    if (key === undefined || !value) {
      out.push({
        kind: 'type',
        path,
        value: key,
        constraint: 'Map entries must have a key and a value',
      });
    } else {
      result[key] = decode(shapes, shape.value!, value, `${path}.${key}`, out);
    }
  }
  return result;
}

function decode(
  shapes: Shapes,
  ref: MemberRef,
  node: Node,
  path: string,
  out: Violation[],
): unknown {
  const shape = shapes[ref.shape];
  const flattened = Boolean(shape.flattened || ref.flattened);
  if (shape.type === 'structure')
    return decodeStructure(shapes, shape, node, path, out);
  if (shape.type === 'list')
    return decodeList(shapes, shape, flattened, node, path, out);
  if (shape.type === 'map')
    return decodeMap(shapes, shape, flattened, node, path, out);
  if (node.value === undefined || node.children.size) {
    out.push({
      kind: 'type',
      path,
      value: node.value,
      constraint: mustBe(shape.type),
    });
    return undefined;
  }
  return fromText(shape, node.value, path, out);
}

/** The input the parameters carry (all but `Action` and `Version`), and what could not be decoded. */
export function decodeQueryInput(
  shapes: Record<string, Shape>,
  inputShape: string,
  params: URLSearchParams,
) {
  const violations: Violation[] = [];
  const input = decode(
    shapes,
    { shape: inputShape },
    tree(params, ['Action', 'Version']),
    '',
    violations,
  ) as Record<string, unknown>;
  return { input, violations };
}
