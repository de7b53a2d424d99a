import { awsPattern } from './pattern';
import { MemberRef, Shape } from './model';

/**
 * Checks a value against a model shape and lists what breaks it. Values are
 * what the wire gives once decoded: JSON as parsed, and query strings, headers
 * and XML turned into numbers, booleans and dates by their shapes first.
 */

export type ViolationKind =
  /** A value of the wrong type: a string where the shape wants a list, … */
  | 'type'
  /** A member the shape does not define. */
  | 'unknown'
  /** A required member left out, or a value outside its enum, pattern, length or range. */
  | 'constraint';

export interface Violation {
  kind: ViolationKind;
  /** As AWS names it: lower camel case members, 1-based `.N.member` list items. */
  path: string;
  value: unknown;
  /** AWS's wording: `Member must not be null`, `Member must satisfy enum value set: [..]`, … */
  constraint: string;
}

export interface CheckOptions {
  /** Enum, pattern, length and range checks; responses are held to types, members and enums only. */
  constraints: boolean;
  /** How the protocol carries timestamps: JSON as epoch seconds, text protocols as dates. */
  timestamps: 'epoch-seconds' | 'date';
}

type Shapes = Record<string, Shape>;

const lowerFirst = (name: string) =>
  name.charAt(0).toLowerCase() + name.slice(1);
const join = (path: string, member: string) =>
  path ? `${path}.${lowerFirst(member)}` : lowerFirst(member);

const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function typeError(
  shape: Shape,
  value: unknown,
  options: CheckOptions,
): string | undefined {
  switch (shape.type) {
    case 'structure':
    case 'map':
      return value !== null &&
        typeof value === 'object' &&
        !Array.isArray(value) &&
        !(value instanceof Date)
        ? undefined
        : 'a structure or map';
    case 'list':
      return Array.isArray(value) ? undefined : 'a list';
    case 'string':
      return typeof value === 'string' ? undefined : 'a string';
    case 'integer':
      return Number.isInteger(value) &&
        (value as number) >= -(2 ** 31) &&
        (value as number) < 2 ** 31
        ? undefined
        : 'an integer';
    case 'long':
      return Number.isSafeInteger(value) ? undefined : 'a long';
    case 'float':
    case 'double':
      return typeof value === 'number' ? undefined : 'a number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'a boolean';
    case 'timestamp':
      if (options.timestamps === 'epoch-seconds')
        return typeof value === 'number'
          ? undefined
          : 'a timestamp in epoch seconds';
      return value instanceof Date && !Number.isNaN(value.getTime())
        ? undefined
        : 'a timestamp';
    case 'blob':
      return Buffer.isBuffer(value) ||
        (typeof value === 'string' && BASE64.test(value))
        ? undefined
        : 'base64-encoded bytes';
    default:
      return undefined;
  }
}

/** `Member must be …` for a value the wire could not read as the shape's type. */
export const mustBe = (type: Shape['type']) =>
  `Member must be ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;

/** How AWS quotes a value in a message. */
export function showValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value))
    return `'[${value
      .map(v => (typeof v === 'string' ? v : JSON.stringify(v)))
      .join(', ')}]'`;
  if (value instanceof Date) return `'${value.toISOString()}'`;
  return `'${
    typeof value === 'object' ? JSON.stringify(value) : String(value)
  }'`;
}

/** What `min` and `max` bound: a string's length, a list's or a map's entries. */
function sizeOf(shape: Shape, value: unknown): number | undefined {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  return shape.type === 'map' ? Object.keys(value as object).length : undefined;
}

/** The constraints a scalar or a collection breaks, in AWS's words. */
function broken(shape: Shape, value: unknown): string[] {
  const found: string[] = [];
  const size = sizeOf(shape, value);
  if (shape.enum && !shape.enum.includes(value as string)) {
    found.push(
      `Member must satisfy enum value set: [${shape.enum.join(', ')}]`,
    );
  }
  if (size !== undefined) {
    if (shape.min !== undefined && size < shape.min)
      found.push(
        `Member must have length greater than or equal to ${shape.min}`,
      );
    if (shape.max !== undefined && size > shape.max)
      found.push(`Member must have length less than or equal to ${shape.max}`);
  } else if (typeof value === 'number') {
    if (shape.min !== undefined && value < shape.min)
      found.push(
        `Member must have value greater than or equal to ${shape.min}`,
      );
    if (shape.max !== undefined && value > shape.max)
      found.push(`Member must have value less than or equal to ${shape.max}`);
  }
  if (
    shape.pattern &&
    typeof value === 'string' &&
    !awsPattern(shape.pattern).test(value)
  ) {
    found.push(
      `Member must satisfy regular expression pattern: ${shape.pattern}`,
    );
  }
  return found;
}

function checkMember(
  shapes: Shapes,
  ref: MemberRef,
  value: unknown,
  path: string,
  options: CheckOptions,
  out: Violation[],
) {
  const shape = shapes[ref.shape];
  const expected = typeError(shape, value, options);
  if (expected) {
    out.push({
      kind: 'type',
      path,
      value,
      constraint: `Member must be ${expected}`,
    });
    return;
  }
  const enumOnly = !options.constraints;
  for (const constraint of broken(
    enumOnly ? { type: shape.type, enum: shape.enum } : shape,
    value,
  )) {
    out.push({ kind: 'constraint', path, value, constraint });
  }
  if (shape.type === 'structure') {
    checkStructure(
      shapes,
      shape,
      value as Record<string, unknown>,
      path,
      options,
      out,
    );
  } else if (shape.type === 'list') {
    (value as unknown[]).forEach((item, i) =>
      checkMember(
        shapes,
        shape.member!,
        item,
        `${path}.${i + 1}.member`,
        options,
        out,
      ),
    );
  } else if (shape.type === 'map') {
    checkMap(
      shapes,
      shape,
      value as Record<string, unknown>,
      path,
      options,
      out,
    );
  }
}

/** A structure's required members, a union's one member, and each member against its own shape. */
function checkStructure(
  shapes: Shapes,
  shape: Shape,
  object: Record<string, unknown>,
  path: string,
  options: CheckOptions,
  out: Violation[],
) {
  for (const name of shape.required ?? []) {
    if (object[name] === undefined || object[name] === null) {
      out.push({
        kind: 'constraint',
        path: join(path, name),
        value: null,
        constraint: 'Member must not be null',
      });
    }
  }
  // A union holds exactly one of its members: https://smithy.io/2.0/spec/aggregate-types.html#union
  const set = Object.values(object).filter(
    v => v !== undefined && v !== null,
  ).length;
  if (shape.union && set !== 1) {
    out.push({
      kind: 'constraint',
      path,
      value: object,
      constraint: `Member must have exactly one member set, not ${set}`,
    });
  }
  for (const [name, member] of Object.entries(object)) {
    const memberRef = shape.members?.[name];
    if (!memberRef)
      out.push({
        kind: 'unknown',
        path: join(path, name),
        value: member,
        constraint: 'Member is not defined by the shape',
      });
    else if (member !== undefined && member !== null)
      checkMember(shapes, memberRef, member, join(path, name), options, out);
  }
}

/** The one violation, at the map, standing for its keys' or a scalar value's. */
function mapViolation(
  path: string,
  map: Record<string, unknown>,
  part: 'keys' | 'value',
  errors: Violation[],
): Violation {
  return {
    kind: 'constraint',
    path,
    value: map,
    constraint: `Map ${part} must satisfy constraint: [${errors
      .map(v => v.constraint)
      .join(', ')}]`,
  };
}

/** Map keys and scalar values are reported at the map, as AWS does (`Map value must satisfy constraint: [..]`). */
function checkMap(
  shapes: Shapes,
  shape: Shape,
  map: Record<string, unknown>,
  path: string,
  options: CheckOptions,
  out: Violation[],
) {
  for (const [key, item] of Object.entries(map)) {
    const keyErrors: Violation[] = [];
    checkMember(shapes, shape.key!, key, `${path}.${key}`, options, keyErrors);
    if (keyErrors.length) {
      out.push(mapViolation(path, map, 'keys', keyErrors));
    }
    const valueShape = shapes[shape.value!.shape];
    const valueErrors: Violation[] = [];
    checkMember(
      shapes,
      shape.value!,
      item,
      `${path}.${key}`,
      options,
      valueErrors,
    );
    if (
      valueShape.type === 'structure' ||
      valueShape.type === 'list' ||
      valueShape.type === 'map'
    ) {
      out.push(...valueErrors);
    } else {
      const [typeFirst] = valueErrors.filter(v => v.kind === 'type');
      if (typeFirst) out.push(typeFirst);
      else if (valueErrors.length) {
        out.push(mapViolation(path, map, 'value', valueErrors));
      }
    }
  }
}

/** Everything that breaks the shape, outermost first; an empty list when the value keeps it. */
export function checkShape(
  shapes: Shapes,
  shapeName: string,
  value: unknown,
  options: CheckOptions,
): Violation[] {
  const out: Violation[] = [];
  checkMember(shapes, { shape: shapeName }, value, '', options, out);
  return out;
}
