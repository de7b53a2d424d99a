import { NotFoundError } from '@backstage/errors';
import express from 'express';
import { HttpRefusal } from './refusal';
import { specRouteOf } from './specRoutes';

/**
 * The last handler of the API: a path the document does not have is a 404, a
 * method its path does not have a 405 naming the ones it has, both with the
 * Error body, instead of Express's empty 404.
 */
export function unknownRoute(): express.RequestHandler {
  return (req, res) => {
    const route = specRouteOf(req.path);
    if (!route) throw new NotFoundError(`No route ${req.method} ${req.path}`);
    const allowed = route.operations.map(o => o.method);
    res.setHeader('Allow', allowed.join(', '));
    throw new HttpRefusal(
      405,
      'MethodNotAllowedError',
      `${req.method} is not allowed on ${req.path}; use ${allowed.join(
        ' or ',
      )}`,
    );
  };
}
