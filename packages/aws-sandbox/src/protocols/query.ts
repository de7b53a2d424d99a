import crypto from 'node:crypto';
import { AwsError } from '../errors';
import { toXml } from './xml';

/** The awsQuery response envelope (STS). */
export function queryResponse(action: string, xmlns: string, result: object) {
  return `<${action}Response xmlns="${xmlns}"><${action}Result>${toXml(
    result,
  )}</${action}Result><ResponseMetadata><RequestId>${crypto.randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
}

/** The awsQuery error envelope, which the SDK maps onto its exception classes. */
export function queryError(error: AwsError, xmlns: string) {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return `<ErrorResponse xmlns="${xmlns}">${toXml({
    Error: { Type: type, Code: error.code, Message: error.message },
  })}<RequestId>${crypto.randomUUID()}</RequestId></ErrorResponse>`;
}
