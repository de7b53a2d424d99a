import {
  coreServices,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';

/**
 * What Backstage's auth service warns, with the verification error and its
 * stack, for every request whose token does not verify (UserTokenHandler,
 * PluginTokenHandler of backend-defaults): anyone can send such requests.
 */
const TOKEN_FAILURE = /^Failed to verify incoming (user|plugin) token$/;

/**
 * The plugin's logger, except that a failed token verification is one line
 * without a stack ("...: JWSSignatureVerificationFailed: signature
 * verification failed"), at most one per `intervalMs` per plugin, saying how
 * many were left out since the last; everything else is logged as is.
 */
export function quietTokenFailures(
  logger: LoggerService,
  options: { intervalMs?: number; now?: () => number } = {},
): LoggerService {
  const { intervalMs = 60_000, now = Date.now } = options;
  let last = -Infinity;
  let leftOut = 0;
  const wrap = (inner: LoggerService): LoggerService => ({
    error: (message, meta) => inner.error(message, meta),
    info: (message, meta) => inner.info(message, meta),
    debug: (message, meta) => inner.debug(message, meta),
    child: meta => wrap(inner.child(meta)),
    warn(message, meta) {
      if (!TOKEN_FAILURE.test(message)) {
        inner.warn(message, meta);
        return;
      }
      if (now() - last < intervalMs) {
        leftOut += 1;
        return;
      }
      last = now();
      const reason = isError(meta) ? `: ${meta.name}: ${meta.message}` : '';
      const more = leftOut ? ` (and ${leftOut} more since the last)` : '';
      leftOut = 0;
      inner.warn(`${message}${reason}${more}`);
    },
  });
  return wrap(logger);
}

/**
 * Backstage's plugin logger service with quietTokenFailures: installed in the
 * backend (`backend.add(quietTokenFailuresLoggerServiceFactory)`) in place of
 * the default, so forged tokens cannot fill the log.
 *
 * @public
 */
export const quietTokenFailuresLoggerServiceFactory = createServiceFactory({
  service: coreServices.logger,
  deps: {
    rootLogger: coreServices.rootLogger,
    plugin: coreServices.pluginMetadata,
  },
  factory({ rootLogger, plugin }) {
    return quietTokenFailures(rootLogger.child({ plugin: plugin.getId() }));
  },
});
