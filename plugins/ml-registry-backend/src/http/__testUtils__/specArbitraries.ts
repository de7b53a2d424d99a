import fc from 'fast-check';
import { spec } from '../../schema/openapi.generated';

/*
 * fast-check arbitraries derived from the OpenAPI document's schemas: values
 * each schema accepts, and values it refuses, as a query string carries them.
 */
type Schema = {
  $ref?: string;
  type?: string;
  enum?: readonly string[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  required?: readonly string[];
  properties?: Record<string, Schema>;
};
type Parameter = {
  name: string;
  in: string;
  required?: boolean;
  schema: Schema;
};

const components = spec.components as unknown as {
  schemas: Record<string, Schema>;
  parameters: Record<string, Parameter>;
};

const deref = <T>(node: T | { $ref: string }, table: Record<string, T>): T =>
  node && typeof node === 'object' && '$ref' in node
    ? table[(node as { $ref: string }).$ref.split('/').pop()!]
    : (node as T);

export const schemaOf = (s: Schema): Schema => deref(s, components.schemas);

/** Strings anyone may send, whatever a parameter expects. */
export const HOSTILE = [
  "' OR 1=1 --",
  '"; DROP TABLE audit; --',
  '../../../etc/passwd',
  '%00',
  '\u0000',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '{{7*7}}',
  'x'.repeat(5000),
  '🙂',
  '[object Object]',
  '__proto__',
];

/** A value the schema accepts. */
export function valid(schemaOrRef: Schema): fc.Arbitrary<unknown> {
  const s = schemaOf(schemaOrRef);
  if (s.enum) return fc.constantFrom(...s.enum);
  switch (s.type) {
    case 'integer':
      return fc.integer({
        min: s.minimum ?? 0,
        max: Math.min(s.maximum ?? 2 ** 31 - 1, 2 ** 31 - 1),
      });
    case 'boolean':
      return fc.boolean();
    case 'object':
      return fc.record(
        Object.fromEntries(
          Object.entries(s.properties ?? {}).map(([k, v]) => [k, valid(v)]),
        ),
        { requiredKeys: [...(s.required ?? [])] },
      );
    default:
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern));
      return fc.string({
        minLength: s.minLength ?? 0,
        maxLength: Math.min(s.maxLength ?? 40, 40),
      });
  }
}

/** A query-string value the schema refuses. */
export function invalidQueryValue(schemaOrRef: Schema): fc.Arbitrary<string> {
  const s = schemaOf(schemaOrRef);
  const hostile = fc.constantFrom(...HOSTILE);
  if (s.type === 'integer') {
    return fc.oneof(
      fc.constantFrom('1e3', '0x10', ' 5', 'Infinity', 'NaN', '1.5', '', '05'),
      fc.constantFrom('-1', '9223372036854775808', '9007199254740993'),
      fc.nat().map(n => String((s.maximum ?? 2 ** 31 - 1) + 1 + n)),
      fc.integer({ max: (s.minimum ?? 0) - 1 }).map(String),
      hostile,
    );
  }
  const refused = (v: string) =>
    (s.enum !== undefined && !s.enum.includes(v)) ||
    (s.pattern !== undefined && !new RegExp(s.pattern).test(v)) ||
    v.length > (s.maxLength ?? Infinity) ||
    v.length < (s.minLength ?? 0);
  return fc.oneof(hostile, fc.string({ maxLength: 30 })).filter(refused);
}

/** The parameters of an operation, $refs resolved. */
export function parametersOf(path: string, method: string): Parameter[] {
  const operation = (spec.paths as Record<string, any>)[path][method];
  return (operation.parameters ?? []).map((p: Parameter) =>
    deref(p, components.parameters),
  );
}
