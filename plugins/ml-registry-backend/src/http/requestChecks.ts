import { InputError } from '@backstage/errors';
import express from 'express';
import { HttpRefusal } from './refusal';
import { SpecOperation, specRouteOf } from './specRoutes';

/** The largest body accepted; a decision's is well under 4 KiB. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Integers as the document means them: decimal digits, no sign, exponent, hex,
 * spaces or leading zeros, and exact in a JavaScript number. The validator
 * would otherwise read `1e3`, `0x10`, ` 5` and `Infinity` as numbers.
 */
const CANONICAL_INTEGER = /^(0|[1-9]\d{0,15})$/;

/**
 * Express's query parser drops some names (`__proto__`) before the OpenAPI
 * validator sees them; the raw query string is checked for names the operation
 * does not have.
 */
function knownNamesOnly(req: express.Request, operation: SpecOperation) {
  const raw = req.originalUrl.split('?')[1] ?? '';
  for (const name of new URLSearchParams(raw).keys()) {
    if (!operation.query.includes(name)) {
      throw new InputError(`Unknown query parameter '${name}'`);
    }
  }
}

function strictIntegers(req: express.Request, operation?: SpecOperation) {
  for (const name of operation?.integerQuery ?? []) {
    const value = req.query[name];
    if (value === undefined) continue;
    if (
      typeof value !== 'string' ||
      !CANONICAL_INTEGER.test(value) ||
      !Number.isSafeInteger(Number(value))
    ) {
      throw new InputError(
        `request/query/${name} must be an integer written in decimal digits`,
      );
    }
  }
}

function jsonBodyOnly(req: express.Request, operation?: SpecOperation) {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined ||
    Number(req.headers['content-length'] ?? 0) > 0;
  if (!hasBody || !operation?.hasBody) return;
  if (!req.is('application/json')) {
    throw new HttpRefusal(
      415,
      'UnsupportedMediaTypeError',
      `The body must be application/json, not ${
        req.headers['content-type'] ?? 'untyped'
      }`,
    );
  }
}

/**
 * The checks ahead of the OpenAPI validator, each answering with its own status:
 * 415 for a body that is not JSON, 413 for one over MAX_BODY_BYTES, 400 for an
 * integer not written as one. Only requests for the document's paths are parsed.
 */
export function requestChecks(): express.RequestHandler[] {
  const json = express.json({ limit: MAX_BODY_BYTES });
  return [
    (req, _res, next) => {
      const route = specRouteOf(req.path);
      if (route) {
        const operation = route.operations.find(o => o.method === req.method);
        jsonBodyOnly(req, operation);
        if (operation) knownNamesOnly(req, operation);
        strictIntegers(req, operation);
      }
      next();
    },
    (req, res, next) => {
      json(req, res, (error?: unknown) => {
        const { type } = (error ?? {}) as { type?: string };
        if (type === 'entity.too.large') {
          next(
            new HttpRefusal(
              413,
              'PayloadTooLargeError',
              `The body is over ${MAX_BODY_BYTES} bytes`,
            ),
          );
        } else next(error);
      });
    },
  ];
}
