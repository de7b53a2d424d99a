import { spec } from '../schema/openapi.generated';

type Spec = typeof spec;
type ParameterObject = {
  name: string;
  in: string;
  schema?: { type?: string; $ref?: string };
};

/** One operation of the OpenAPI document, as the HTTP checks need it. */
export interface SpecOperation {
  method: string;
  /** The names of its query parameters. */
  query: string[];
  /** The query parameters whose schema is an integer. */
  integerQuery: string[];
  /** Whether it takes a (JSON) body. */
  hasBody: boolean;
}

/** One path of the document, matched against a request's path within the plugin. */
export interface SpecRoute {
  pattern: RegExp;
  operations: SpecOperation[];
}

function resolve(parameter: ParameterObject | { $ref: string }) {
  if (!('$ref' in parameter)) return parameter;
  const name = parameter.$ref.split('/').pop()!;
  return (spec.components.parameters as Record<string, ParameterObject>)[name];
}

function operationOf(method: string, operation: object): SpecOperation {
  const { parameters = [], requestBody } = operation as {
    parameters?: (ParameterObject | { $ref: string })[];
    requestBody?: object;
  };
  const query = parameters.map(resolve).filter(p => p.in === 'query');
  return {
    method: method.toUpperCase(),
    query: query.map(p => p.name),
    integerQuery: query
      .filter(p => p.schema?.type === 'integer')
      .map(p => p.name),
    hasBody: requestBody !== undefined,
  };
}

const escape = (s: string) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&');

/** The document's paths, each with its operations. */
export const SPEC_ROUTES: SpecRoute[] = Object.entries(
  spec.paths as Spec['paths'],
).map(([path, item]) => ({
  pattern: new RegExp(
    `^${path
      .split(/\{\w+\}/)
      .map(escape)
      .join('[^/]+')}$`,
  ),
  operations: Object.entries(item).map(([method, operation]) =>
    operationOf(method, operation),
  ),
}));

/** The route of the document a request path belongs to, if any. */
export function specRouteOf(path: string): SpecRoute | undefined {
  return SPEC_ROUTES.find(route => route.pattern.test(path));
}
