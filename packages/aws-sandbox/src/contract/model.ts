import fs from 'node:fs';
import path from 'node:path';

/**
 * AWS's official service models (botocore's service-2.json, committed under
 * models/ by scripts/update-aws-models.sh): the shapes the contract checks
 * requests and responses against.
 */

export interface MemberRef {
  shape: string;
  /** Where a restXml member travels: the URI, the query string or a header. */
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
  flattened?: boolean;
}

export interface Shape {
  type:
    | 'structure'
    | 'list'
    | 'map'
    | 'string'
    | 'integer'
    | 'long'
    | 'float'
    | 'double'
    | 'boolean'
    | 'timestamp'
    | 'blob';
  members?: Record<string, MemberRef>;
  required?: string[];
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  enum?: string[];
  pattern?: string;
  min?: number;
  max?: number;
  flattened?: boolean;
  payload?: string;
  union?: boolean;
}

export interface OperationModel {
  name: string;
  http: { method: string; requestUri: string };
  input?: { shape: string };
  output?: { shape: string; resultWrapper?: string };
}

export interface ServiceModel {
  metadata: {
    protocol: string;
    jsonVersion?: string;
    targetPrefix?: string;
    xmlNamespace?: string;
    /** A JSON service that still answers with its query-protocol error codes (SQS). */
    awsQueryCompatible?: object;
  };
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

export const MODELS_DIR = path.join(
  path.dirname(require.resolve('@ml-governance/aws-sandbox/package.json')),
  'models',
);

const models = new Map<string, ServiceModel>();

/** The model of a service, by the service name in the SigV4 scope (`sagemaker`, `sts`, …). */
export function serviceModel(service: string): ServiceModel {
  let model = models.get(service);
  if (!model) {
    const file = path.join(MODELS_DIR, `${service}.json`);
    if (!fs.existsSync(file)) {
      throw new Error(
        `aws-sandbox contract: no model for ${service} at ${file}; add it to scripts/update-aws-models.sh`,
      );
    }
    model = JSON.parse(fs.readFileSync(file, 'utf8')) as ServiceModel;
    models.set(service, model);
  }
  return model;
}

/** An operation of a service's model; a sandbox operation the model lacks is a sandbox defect. */
export function operationModel(
  service: string,
  operation: string,
): OperationModel {
  const found = serviceModel(service).operations[operation];
  if (!found)
    throw new Error(
      `aws-sandbox contract: ${service} has no operation ${operation} in its model`,
    );
  return found;
}

export function shapeOf(service: string, name: string): Shape {
  const shape = serviceModel(service).shapes[name];
  if (!shape)
    throw new Error(`aws-sandbox contract: ${service} has no shape ${name}`);
  return shape;
}
