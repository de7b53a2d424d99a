import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import express from 'express';
import { versionOf } from './actionLog';

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

/** Who sent a request, as its credentials say; a request whose token does not verify was refused with 401 before. */
async function requesterOf(
  httpAuth: HttpAuthService | undefined,
  req: express.Request,
): Promise<string> {
  const principal = await httpAuth
    ?.credentials(req)
    .then(c => c.principal as { userEntityRef?: string; subject?: string })
    .catch(() => undefined);
  return principal?.userEntityRef ?? principal?.subject ?? 'an unknown caller';
}

/** The version a request was about (`arn` in its query or body), when it names one. */
function arnOf(req: express.Request): string | undefined {
  const arn = req.query?.arn ?? req.body?.arn;
  return typeof arn === 'string' ? arn : undefined;
}

/**
 * One warn line for a refused request: who asked what about which version,
 * and why it was refused. Not for 401 (a failed token is logged, rate-bound,
 * by the token check) nor 503 (a busy backend asking to come back is not a
 * refusal of the request).
 */
async function logRefusal(
  options: { logger: LoggerService; httpAuth?: HttpAuthService },
  req: express.Request,
  statusCode: number,
  error: Error,
): Promise<void> {
  if (statusCode === 401 || statusCode >= 500) return;
  const arn = arnOf(req);
  const who = await requesterOf(options.httpAuth, req);
  // The message can echo the caller's input: one line, kept short.
  const why = error.message.replace(/\s+/g, ' ').slice(0, 300);
  options.logger.warn(
    `Refused ${req.method} ${req.baseUrl}${req.path}${
      arn ? ` on ${versionOf(arn).slice(0, 300)}` : ''
    } for ${who}: ${statusCode} ${error.name}: ${why}`,
  );
}

/**
 * Renders every error of the API as the document's Error schema (Backstage's
 * ErrorResponseBody): the name and message of a refusal, and of an unexpected
 * failure only "Internal server error", since its message can hold SQL,
 * file paths or AWS detail; that goes to the log. No stack, no cause, no other
 * members (an AccountUnreachableError's account and reason are in its message).
 * A 503 says when to come back (the busy read queue, an unreachable account).
 * A refusal is logged once, at warn.
 */
export function errorResponse(options: {
  logger: LoggerService;
  /** Names the caller of a refused request in its log line. */
  httpAuth?: HttpAuthService;
}): express.ErrorRequestHandler {
  return (error, req, res, _next) => {
    const statusCode = statusOf(error);
    const known = statusCode < 500 || statusCode === 503;
    if (known) {
      logRefusal(options, req, statusCode, error).catch(() => undefined);
    } else {
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
