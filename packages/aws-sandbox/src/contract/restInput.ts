import { Violation } from './check';
import { OperationModel, Shape } from './model';
import { fromText } from './text';

/**
 * Gathers a restXml request's input from where the model binds each member:
 * the URI (`/{Bucket}/{Key+}`), the query string, headers and a string or
 * blob payload. Structure payloads (XML bodies) are left to the handler.
 * https://smithy.io/2.0/aws/protocols/aws-restxml-protocol.html
 */

export interface RestRequest {
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function uriLabels(template: string, path: string): Record<string, string> {
  const [templatePath] = template.split('?');
  const labels: Record<string, string> = {};
  const parts = path.split('/').slice(1);
  templatePath
    .split('/')
    .slice(1)
    .forEach((segment, i) => {
      const label = segment.match(/^\{(\w+)(\+?)\}$/);
      if (!label) return;
      const raw = label[2] ? parts.slice(i).join('/') : parts[i];
      if (raw) labels[label[1]] = decodeURIComponent(raw);
    });
  return labels;
}

export function decodeRestInput(
  shapes: Record<string, Shape>,
  operation: OperationModel,
  req: RestRequest,
) {
  const violations: Violation[] = [];
  const input: Record<string, unknown> = {};
  const shape = shapes[operation.input!.shape];
  const labels = uriLabels(operation.http.requestUri, req.path);
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const memberShape = shapes[ref.shape];
    const wireName = ref.locationName ?? name;
    const path = name.charAt(0).toLowerCase() + name.slice(1);
    if (ref.location === 'uri') {
      if (labels[wireName] !== undefined)
        input[name] = fromText(memberShape, labels[wireName], path, violations);
    } else if (ref.location === 'querystring') {
      const values = req.query.getAll(wireName);
      if (memberShape.type === 'list' && values.length) input[name] = values;
      else if (values.length)
        input[name] = fromText(memberShape, values[0], path, violations);
    } else if (ref.location === 'header') {
      const header = req.headers[wireName.toLowerCase()];
      const text = Array.isArray(header) ? header.join(',') : header;
      if (text === undefined) continue;
      input[name] =
        memberShape.type === 'list'
          ? text.split(',').map(s => s.trim())
          : fromText(memberShape, text, path, violations);
    } else if (ref.location === 'headers') {
      const prefix = wireName.toLowerCase();
      const entries = Object.entries(req.headers).filter(([h]) =>
        h.startsWith(prefix),
      );
      if (entries.length)
        input[name] = Object.fromEntries(
          entries.map(([h, v]) => [h.slice(prefix.length), String(v)]),
        );
    } else if (
      name === shape.payload &&
      (memberShape.type === 'string' || memberShape.type === 'blob')
    ) {
      if (req.body.length)
        input[name] =
          memberShape.type === 'string' ? req.body.toString() : req.body;
    }
  }
  return { input, violations };
}
