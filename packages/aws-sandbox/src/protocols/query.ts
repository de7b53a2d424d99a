import { AwsError } from '../errors';

const escapeXml = (s: string) =>
  s.replace(/[<>&'"]/g, c => `&#${c.charCodeAt(0)};`);

/** Renders a flat object as the XML members of a query-protocol result. */
function members(result: Record<string, string>): string {
  return Object.entries(result)
    .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
    .join('');
}

/** The awsQuery response envelope used by STS. */
export function queryResponse(action: string, xmlns: string, result: Record<string, string>) {
  return `<${action}Response xmlns="${xmlns}"><${action}Result>${members(result)}</${action}Result><ResponseMetadata><RequestId>${crypto.randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
}

/** The awsQuery error envelope, which the SDK maps onto its exception classes. */
export function queryError(error: AwsError, xmlns: string) {
  return `<ErrorResponse xmlns="${xmlns}"><Error><Type>${error.type}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${crypto.randomUUID()}</RequestId></ErrorResponse>`;
}
