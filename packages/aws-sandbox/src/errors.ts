/**
 * An AWS error. Each protocol renders it in its own wire shape, so the SDK
 * raises its real exception class (the code is the class name).
 */
export class AwsError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
  }
}

export const validation = (message: string) =>
  new AwsError('ValidationException', message);

export const notFound = (code: string, message: string) =>
  new AwsError(code, message, 404);
