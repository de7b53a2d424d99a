import { AwsError } from '../errors';

/** The awsJson error body; `__type` is what the SDK maps to an exception class. */
export function jsonError(error: AwsError, service: string) {
  // SQS (awsJson1_0 with query compatibility) also reads this header for the code.
  const headers: Record<string, string> = { 'x-amzn-errortype': error.code };
  if (service === 'sqs') {
    headers['x-amzn-query-error'] = `${error.code};${
      error.status >= 500 ? 'Receiver' : 'Sender'
    }`;
  }
  return {
    headers,
    body: JSON.stringify({
      __type: error.code,
      message: error.message,
      Message: error.message,
    }),
  };
}
