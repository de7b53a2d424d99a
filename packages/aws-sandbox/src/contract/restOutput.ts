import { mustBe, Violation } from './check';
import { MemberRef, Shape } from './model';
import { fromText } from './text';

/**
 * Reads a restXml response (S3) back into a value of the operation's output
 * shape, so the contract can hold it to the model: the members bound to
 * headers, and the XML body (the output's own members, or its structure
 * payload). https://smithy.io/2.0/aws/protocols/aws-restxml-protocol.html
 */

export interface RestResponse {
  headers?: Record<string, string>;
  body?: Buffer | string;
}

interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

const unescapeXml = (text: string) =>
  text.replace(/&#(\d+);|&(lt|gt|amp|quot|apos);/g, (_m, code, named) =>
    code
      ? String.fromCharCode(Number(code))
      : (
          { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<
            string,
            string
          >
        )[named],
  );

/** The root element of the sandbox's own XML: elements and text, no attributes read. */
function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '', children: [], text: '' };
  const stack = [root];
  for (const [token] of xml
    .replace(/<\?[^>]*\?>/g, '')
    .matchAll(/<[^>]+>|[^<]+/g)) {
    const top = stack[stack.length - 1];
    if (token.startsWith('</')) stack.pop();
    else if (token.startsWith('<')) {
      const element: XmlElement = {
        name: token.slice(1, -1).trim().split(/\s/)[0].replace(/\/$/, ''),
        children: [],
        text: '',
      };
      top.children.push(element);
      if (!token.endsWith('/>')) stack.push(element);
    } else top.text += unescapeXml(token);
  }
  return root.children[0] ?? root;
}

const lowerFirst = (name: string) =>
  name.charAt(0).toLowerCase() + name.slice(1);

function decode(
  shapes: Record<string, Shape>,
  ref: MemberRef,
  element: XmlElement,
  path: string,
  out: Violation[],
): unknown {
  const shape = shapes[ref.shape];
  if (shape.type === 'structure')
    return decodeMembers(shapes, shape, element.children, path, out);
  if (shape.type === 'list') {
    const itemName = shape.member!.locationName ?? 'member';
    return element.children.map((item, i) => {
      const itemPath = `${path}.${i + 1}.member`;
      if (item.name !== itemName)
        out.push({
          kind: 'unknown',
          path: itemPath,
          value: item.name,
          constraint: '',
        });
      return decode(shapes, shape.member!, item, itemPath, out);
    });
  }
  if (shape.type === 'map') {
    return Object.fromEntries(
      element.children.map(entry => {
        const key =
          entry.children.find(
            c => c.name === (shape.key!.locationName ?? 'key'),
          )?.text ?? '';
        const value = entry.children.find(
          c => c.name === (shape.value!.locationName ?? 'value'),
        );
        return [
          key,
          value
            ? decode(shapes, shape.value!, value, `${path}.${key}`, out)
            : undefined,
        ];
      }),
    );
  }
  if (element.children.length) {
    out.push({
      kind: 'type',
      path,
      value: element.children.map(c => c.name),
      constraint: mustBe(shape.type),
    });
    return undefined;
  }
  return fromText(shape, element.text, path, out);
}

/** The members of a structure carried as XML elements (flattened lists repeat their element in place). */
function decodeMembers(
  shapes: Record<string, Shape>,
  shape: Shape,
  elements: XmlElement[],
  path: string,
  out: Violation[],
) {
  const result: Record<string, unknown> = {};
  const bodyMembers = Object.entries(shape.members ?? {}).filter(
    ([, m]) => !m.location,
  );
  for (const element of elements) {
    const memberPath = path
      ? `${path}.${lowerFirst(element.name)}`
      : lowerFirst(element.name);
    const found = bodyMembers.find(
      ([name, m]) => (m.locationName ?? name) === element.name,
    );
    if (!found) {
      out.push({
        kind: 'unknown',
        path: memberPath,
        value: element.text,
        constraint: '',
      });
      continue;
    }
    const [name, ref] = found;
    const memberShape = shapes[ref.shape];
    if (
      memberShape.type === 'list' &&
      (memberShape.flattened || ref.flattened)
    ) {
      const items = (result[name] ??= []) as unknown[];
      items.push(
        decode(
          shapes,
          memberShape.member!,
          element,
          `${memberPath}.${items.length + 1}.member`,
          out,
        ),
      );
    } else {
      result[name] = decode(shapes, ref, element, memberPath, out);
    }
  }
  return result;
}

/** The response as a value of `outputShape`, and what could not be read as it. */
export function decodeRestOutput(
  shapes: Record<string, Shape>,
  outputShape: string,
  response: RestResponse,
) {
  const violations: Violation[] = [];
  const shape = shapes[outputShape];
  const headers = Object.fromEntries(
    Object.entries(response.headers ?? {}).map(([k, v]) => [
      k.toLowerCase(),
      v,
    ]),
  );
  const output: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const wireName = (ref.locationName ?? name).toLowerCase();
    if (ref.location === 'header' && headers[wireName] !== undefined) {
      output[name] = fromText(
        shapes[ref.shape],
        headers[wireName],
        lowerFirst(name),
        violations,
      );
    } else if (ref.location === 'headers') {
      const entries = Object.entries(headers).filter(([h]) =>
        h.startsWith(wireName),
      );
      if (entries.length)
        output[name] = Object.fromEntries(
          entries.map(([h, v]) => [h.slice(wireName.length), v]),
        );
    }
  }
  const body = response.body === undefined ? '' : response.body.toString();
  const payload = shape.payload ? shape.members![shape.payload] : undefined;
  if (payload && shapes[payload.shape].type !== 'structure') {
    if (body)
      output[shape.payload!] =
        shapes[payload.shape].type === 'blob' ? Buffer.from(body) : body;
  } else if (payload && body) {
    output[shape.payload!] = decode(
      shapes,
      payload,
      parseXml(body),
      lowerFirst(shape.payload!),
      violations,
    );
  } else if (body) {
    Object.assign(
      output,
      decodeMembers(shapes, shape, parseXml(body).children, '', violations),
    );
  }
  return { output, violations };
}
