import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { spec } from '../../schema/openapi.generated';

/*
 * The OpenAPI document's schemas as JSON Schema 2020-12 (OpenAPI 3.1's dialect),
 * to check what the API answers against what it publishes.
 */
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(spec as object, 'openapi');

type Responses = Record<string, { $ref?: string; content?: object }>;

function responseSchemaRef(path: string, method: string, status: number) {
  const operation = (spec.paths as Record<string, any>)[path]?.[method];
  const response = (operation?.responses as Responses | undefined)?.[
    String(status)
  ];
  if (!response) return undefined;
  if (response.$ref)
    return `openapi${response.$ref}/content/application~1json/schema`;
  return `openapi#/paths/${path
    .replace(/~/g, '~0')
    .replace(
      /\//g,
      '~1',
    )}/${method}/responses/${status}/content/application~1json/schema`;
}

/**
 * What is wrong with an answer of `method path`: its status is not documented
 * for the operation, or its body does not validate against the documented
 * schema. Empty when it keeps the contract.
 */
export function responseProblems(
  path: string,
  method: string,
  status: number,
  body: unknown,
): string[] {
  const ref = responseSchemaRef(path, method, status);
  if (!ref)
    return [`${status} is not documented for ${method.toUpperCase()} ${path}`];
  const validate = ajv.getSchema(ref)!;
  return validate(body)
    ? []
    : (validate.errors ?? []).map(e => `${e.instancePath} ${e.message}`);
}

/** What is wrong with an error body, against the document's Error schema. */
export function errorBodyProblems(body: unknown): string[] {
  const validate = ajv.getSchema('openapi#/components/schemas/Error')!;
  return validate(body)
    ? []
    : (validate.errors ?? []).map(e => `${e.instancePath} ${e.message}`);
}
