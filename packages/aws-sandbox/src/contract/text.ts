import { mustBe, Violation } from './check';
import { Shape } from './model';

/**
 * A scalar the wire carries as text (awsQuery parameters, restXml headers,
 * query strings and XML), read as its shape's type; what is not one is
 * reported. Timestamps are ISO 8601, HTTP dates or epoch seconds.
 */
export function fromText(
  shape: Shape,
  text: string,
  path: string,
  out: Violation[],
): unknown {
  let value: unknown = text;
  if (shape.type === 'integer' || shape.type === 'long') {
    value = /^-?\d+$/.test(text) ? Number(text) : undefined;
  } else if (shape.type === 'float' || shape.type === 'double') {
    value =
      text.trim() !== '' && !Number.isNaN(Number(text))
        ? Number(text)
        : undefined;
  } else if (shape.type === 'boolean') {
    value = text === 'true' || text === 'false' ? text === 'true' : undefined;
  } else if (shape.type === 'timestamp') {
    const date = new Date(
      /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : text,
    );
    value = Number.isNaN(date.getTime()) ? undefined : date;
  }
  if (value === undefined)
    out.push({
      kind: 'type',
      path,
      value: text,
      constraint: mustBe(shape.type),
    });
  return value;
}
