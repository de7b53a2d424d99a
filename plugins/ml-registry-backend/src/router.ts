import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import express from 'express';
import Router from 'express-promise-router';
import { errorResponse } from './http/errorResponse';
import { requestChecks } from './http/requestChecks';
import { unknownRoute } from './http/unknownRoute';
import { entityRoutes } from './routes/entityRoutes';
import { gateRoutes } from './routes/gateRoutes';
import { modelRoutes } from './routes/modelRoutes';
import { readAuthorization } from './routes/readAuthorization';
import { RouteContext, RouterOptions } from './routes/RouteContext';
import { versionRoutes } from './routes/versionRoutes';
import { spec } from './schema/openapi.generated';

/**
 * The REST API, validated against its OpenAPI document (schema/openapi.yaml,
 * typed through schema/openapi.generated.ts): a request with an unknown or
 * malformed parameter gets a 400 naming it, every refusal the document's Error
 * body. Every route checks the read permission.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const router = createValidatedOpenApiRouter(spec);
  const context: RouteContext = {
    ...options,
    router,
    authorize: readAuthorization(options),
    accountsById: new Map(options.platform.accounts.map(a => [a.accountId, a])),
  };
  modelRoutes(context);
  versionRoutes(context);
  gateRoutes(context);
  entityRoutes(context);

  const api = Router();
  api.use(requestChecks());
  api.use(router);
  api.use(unknownRoute());
  api.use(
    errorResponse({ logger: options.logger, httpAuth: options.httpAuth }),
  );
  return api;
}
