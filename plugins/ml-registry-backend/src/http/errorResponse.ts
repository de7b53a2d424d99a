import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import express from 'express';

/** The statuses of the `@backstage/errors` classes the API throws. */
const STATUS_BY_NAME: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  ServiceUnavailableError: 503,
};

function statusOf(error: unknown): number {
  if (!isError(error)) return 500;
  const { statusCode, status } = error as {
    statusCode?: unknown;
    status?: unknown;
  };
  const own = [statusCode, status].find(
    (s): s is number => typeof s === 'number' && s >= 400 && s < 500,
  );
  return own ?? STATUS_BY_NAME[error.name] ?? 500;
}

/**
 * Renders every error of the API as the document's Error schema (Backstage's
 * ErrorResponseBody): the name and message of a refusal, and of an unexpected
 * failure only "Internal server error", since its message can hold SQL,
 * file paths or AWS detail; that goes to the log. No stack, no cause, no other
 * members (an AccountUnreachableError's account and reason are in its message).
 * A 503 says when to come back (the busy read queue, an unreachable account).
 */
export function errorResponse(options: {
  logger: LoggerService;
}): express.ErrorRequestHandler {
  return (error, req, res, _next) => {
    const statusCode = statusOf(error);
    const known = statusCode < 500 || statusCode === 503;
    if (!known) {
      options.logger.error(
        `${req.method} ${req.baseUrl}${req.path} failed`,
        isError(error) ? error : undefined,
      );
    }
    const retryAfter = (error as { retryAfterSeconds?: unknown })
      ?.retryAfterSeconds;
    if (statusCode === 503 && typeof retryAfter === 'number')
      res.setHeader('Retry-After', String(retryAfter));
    res.status(statusCode).json({
      error: known
        ? { name: error.name, message: error.message }
        : { name: 'Error', message: 'Internal server error' },
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode },
    });
  };
}
