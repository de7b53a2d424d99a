import { LoggerService } from '@backstage/backend-plugin-api';
import {
  MiddlewareFactory,
  rootHttpRouterServiceFactory,
} from '@backstage/backend-defaults/rootHttpRouter';

/** `logger`, except that its info lines are written at debug. */
export function infoAsDebug(logger: LoggerService): LoggerService {
  return {
    error: (message, meta) => logger.error(message, meta),
    warn: (message, meta) => logger.warn(message, meta),
    info: (message, meta) => logger.debug(message, meta),
    debug: (message, meta) => logger.debug(message, meta),
    child: meta => infoAsDebug(logger.child(meta)),
  };
}

/**
 * Backstage's root HTTP router with every default (`backend.*` config,
 * helmet, CORS, rate limit, health, error handling) except that its request
 * log (MiddlewareFactory.logging, one line per request, info by default) is
 * written at debug: the pages poll and read all day, and a portal's info log
 * should hold what people and pipelines did. Each decision, promotion step and
 * deploy change is logged at info by the registry itself, each refusal at warn.
 * `backend.logger.level: debug` (or LOG_LEVEL=debug) brings the request lines back.
 *
 * @public
 */
export const quietRequestLogRootHttpRouterServiceFactory =
  rootHttpRouterServiceFactory({
    configure(context) {
      const { config, logger, middleware, applyDefaults } = context;
      const quiet = MiddlewareFactory.create({
        config,
        logger: infoAsDebug(logger),
      });
      // applyDefaults installs `middleware.logging()`; this instance's is the quiet one.
      middleware.logging = () => quiet.logging();
      applyDefaults();
    },
  });
