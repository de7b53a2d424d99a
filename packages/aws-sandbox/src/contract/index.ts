import { AwsError } from '../errors';
import { checkShape, CheckOptions, Violation } from './check';
import { describeViolation, validationMessage } from './messages';
import { operationModel, serviceModel } from './model';
import { decodeQueryInput } from './queryInput';
import { decodeRestInput, RestRequest } from './restInput';
import { decodeRestOutput, RestResponse } from './restOutput';

/**
 * The sandbox holds every request, and in tests every response, to AWS's
 * published service models (models/<service>.json): a service is checked as
 * soon as its model file is there and the server routes to it.
 */

function jsonInputViolations(
  service: string,
  operation: string,
  input: unknown,
): Violation[] {
  const { shapes } = serviceModel(service);
  const inputShape = operationModel(service, operation).input?.shape;
  if (!inputShape) {
    const empty =
      input && typeof input === 'object' && Object.keys(input).length === 0;
    return empty
      ? []
      : [
          {
            kind: 'type',
            path: '',
            value: input,
            constraint: `${operation} takes no input`,
          },
        ];
  }
  return checkShape(shapes, inputShape, input, {
    constraints: true,
    timestamps: 'epoch-seconds',
  });
}

/**
 * Checks a JSON-protocol request body (awsJson1_0 and 1_1). A value the
 * deserializer cannot bind (wrong type) is a SerializationException, as AWS's
 * JSON services answer it: DynamoDB's "Start of structure or map found where
 * not expected" to a list sent for a structure
 * (https://github.com/aws/aws-sdk-js-v3/issues/7102), CodeDeploy's "Start of
 * list found where not expected" (https://github.com/aws/aws-sdk-js-v3/issues/7215),
 * Cognito's to a boolean sent for a string
 * (https://github.com/amazon-archives/amazon-cognito-identity-js/issues/485).
 * Members the shape does not define get the
 * same answer: AWS documents nothing for them, the SDK v3 clients never send
 * them, so only a hand-built request carries one, and refusing it is the
 * strict choice for a test double. Constraints (required, enum, pattern,
 * length, range) are a ValidationException listing every violation.
 */
export function checkJsonRequest(
  service: string,
  operation: string,
  input: unknown,
) {
  const violations = jsonInputViolations(service, operation, input);
  const unreadable = violations.filter(v => v.kind !== 'constraint');
  if (unreadable.length) {
    throw new AwsError(
      'SerializationException',
      unreadable.map(describeViolation).join('; '),
    );
  }
  if (!violations.length) return;
  if (serviceModel(service).metadata.awsQueryCompatible)
    throw queryCompatibleError(violations[0]);
  throw new AwsError('ValidationException', validationMessage(violations));
}

/**
 * A service that kept its query-protocol errors when it moved to JSON (SQS,
 * `awsQueryCompatible` in its model) answers bad input with those:
 * `MissingParameter` and `InvalidParameterValue`, naming the parameter
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html).
 */
function queryCompatibleError(violation: Violation): AwsError {
  // As SQS writes them: "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: …".
  const plain = (value: unknown) =>
    typeof value === 'string' ? value : JSON.stringify(value);
  const parameter = violation.path
    .split('.')
    .filter(part => part !== 'member')
    .map(part => part.charAt(0).toUpperCase() + part.slice(1))
    .join('.');
  return violation.value === null
    ? new AwsError(
        'MissingParameter',
        `The request must contain the parameter ${parameter}.`,
      )
    : new AwsError(
        'InvalidParameterValue',
        `Value ${plain(
          violation.value,
        )} for parameter ${parameter} is invalid. Reason: ${
          violation.constraint
        }.`,
      );
}

/**
 * Decodes and checks an awsQuery request (STS): every violation, unreadable
 * values and undefined parameters included, is a `ValidationError` (the code
 * STS documents for its input constraints,
 * https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html).
 */
export function queryRequest(
  service: string,
  operation: string,
  params: URLSearchParams,
): Record<string, unknown> {
  const model = operationModel(service, operation);
  if (!model.input) return {};
  const { shapes } = serviceModel(service);
  const { input, violations } = decodeQueryInput(
    shapes,
    model.input.shape,
    params,
  );
  violations.push(
    ...checkShape(shapes, model.input.shape, input, {
      constraints: true,
      timestamps: 'date',
    }).filter(v => v.kind === 'constraint'),
  );
  if (violations.length)
    throw new AwsError('ValidationError', validationMessage(violations));
  return input;
}

/**
 * Checks the members of a restXml request (S3) bound to its URI, query string,
 * headers and string or blob payload. S3 answers a missing body with
 * `MissingRequestBodyError` and a bad argument with `InvalidArgument`
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList).
 */
export function checkRestRequest(
  service: string,
  operation: string,
  req: RestRequest,
) {
  const model = operationModel(service, operation);
  if (!model.input) return;
  const { shapes } = serviceModel(service);
  const { input, violations } = decodeRestInput(shapes, model, req);
  violations.push(
    ...checkShape(shapes, model.input.shape, input, {
      constraints: true,
      timestamps: 'date',
    }).filter(v => v.kind === 'constraint'),
  );
  const payload = shapes[model.input.shape].payload;
  if (
    payload &&
    violations.some(
      v => v.path.toLowerCase() === payload.toLowerCase() && v.value === null,
    )
  ) {
    throw new AwsError('MissingRequestBodyError', 'Request Body is empty');
  }
  if (violations.length)
    throw new AwsError('InvalidArgument', validationMessage(violations));
}

/**
 * Holds a response to the operation's output shape: members the model does not
 * define, required members left out, wrong types and values outside an enum.
 * A breach is the sandbox's defect, so it fails the request loudly (500,
 * naming the operation and the members) rather than teach a client something
 * AWS never sends. `timestamps` is how the protocol writes them: JSON as epoch
 * seconds, STS's XML from Dates.
 */
export function checkResponse(
  service: string,
  operation: string,
  output: unknown,
  timestamps: CheckOptions['timestamps'],
) {
  const outputShape = operationModel(service, operation).output?.shape;
  const plain =
    timestamps === 'epoch-seconds'
      ? JSON.parse(JSON.stringify(output ?? {}))
      : output ?? {};
  const violations = outputShape
    ? checkShape(serviceModel(service).shapes, outputShape, plain, {
        constraints: false,
        timestamps,
      })
    : Object.keys(plain).map(name => ({
        kind: 'unknown' as const,
        path: name,
        value: plain[name],
        constraint: '',
      }));
  failBreach(service, operation, violations);
}

function failBreach(
  service: string,
  operation: string,
  violations: Violation[],
) {
  if (!violations.length) return;
  const message = `aws-sandbox: the ${service} ${operation} response breaks AWS's model: ${violations
    .map(describeViolation)
    .join('; ')}`;
  console.error(message);
  throw new AwsError('InternalFailure', message, 500);
}

/** {@link checkResponse} for a restXml (S3) response, read back from its headers and XML body. */
export function checkRestResponse(
  service: string,
  operation: string,
  response: RestResponse,
) {
  const outputShape = operationModel(service, operation).output?.shape;
  const { shapes } = serviceModel(service);
  const violations: Violation[] =
    outputShape || !response.body
      ? []
      : [{ kind: 'unknown', path: 'body', value: null, constraint: '' }];
  if (outputShape) {
    const { output, violations: unreadable } = decodeRestOutput(
      shapes,
      outputShape,
      response,
    );
    violations.push(
      ...unreadable,
      ...checkShape(shapes, outputShape, output, {
        constraints: false,
        timestamps: 'date',
      }),
    );
  }
  failBreach(service, operation, violations);
}

export { awsPattern } from './pattern';
export { serviceModel, operationModel } from './model';
export type { RestRequest } from './restInput';
