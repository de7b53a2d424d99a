import { createHash, timingSafeEqual } from 'node:crypto';
import {
  AuthService,
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  HttpBodyParser,
  RequestValidator,
} from '@backstage/plugin-events-node';
import { eventsExtensionPoint } from '@backstage/plugin-events-node/alpha';
import { readMlPlatformConfig } from '@ml-governance/plugin-ml-registry-common';
import { parseAwsEvent, refusedEventsCounter } from './awsEvent';
import { readEventsTopic } from './eventsTopic';

/** The largest event body accepted. EventBridge events are at most 256 KB (PutEvents' entry size limit). */
export const MAX_EVENT_BYTES = 256 * 1024;

/** Config of the shared secret an EventBridge API destination's connection sends as a header. */
interface ApiKey {
  header: string;
  digest: Buffer;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Reads `mlRegistry.eventsIngress.apiKey`; a short or malformed one stops start-up naming the key. */
export function readApiKey(config: Config): ApiKey | undefined {
  const key = config.getOptionalConfig('mlRegistry.eventsIngress.apiKey');
  if (!key) return undefined;
  const header = key.getString('header').toLowerCase();
  // The ApiKeyName pattern of EventBridge's CreateConnection, without the spaces a header name cannot have.
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]{1,512}$/.test(header)) {
    throw new InputError(
      `mlRegistry.eventsIngress.apiKey.header: '${header}' is not an HTTP header name`,
    );
  }
  const value = key.getString('value');
  if (value.length < 32 || value.length > 512) {
    throw new InputError(
      'mlRegistry.eventsIngress.apiKey.value: must be 32 to 512 characters (EventBridge allows up to 512)',
    );
  }
  return { header, digest: digest(value) };
}

const problem = (status: number, name: string, message: string) => ({
  status,
  payload: { error: { name, message }, response: { statusCode: status } },
});

/**
 * Accepts an event only from a caller that proves who it is, as an EventBridge
 * API destination does with its connection's API key header
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateConnectionApiKeyAuthRequestParameters.html),
 * or another Backstage backend with its service token; then only a body of at
 * most MAX_EVENT_BYTES that is an EventBridge event the registry acts on, from a
 * configured account. Every refusal is counted and changes nothing.
 */
export function createIngressValidator(options: {
  auth: AuthService;
  apiKey?: ApiKey;
  accountIds: string[];
}): RequestValidator {
  const { auth, apiKey, accountIds } = options;
  const refused = refusedEventsCounter();
  const authenticate = async (
    headers: Record<string, string | string[] | undefined>,
  ) => {
    const bearer = /^Bearer (.+)$/i.exec(
      String(headers.authorization ?? ''),
    )?.[1];
    if (bearer) {
      const credentials = await auth
        .authenticate(bearer)
        .catch(() => undefined);
      if (!credentials)
        return problem(
          401,
          'AuthenticationError',
          'The bearer token is not valid',
        );
      if (!auth.isPrincipal(credentials, 'service')) {
        return problem(
          403,
          'NotAllowedError',
          'Only another backend (a service token) or EventBridge may post events',
        );
      }
      return undefined;
    }
    const sent = apiKey && headers[apiKey.header];
    if (typeof sent !== 'string') {
      return problem(
        401,
        'AuthenticationError',
        `Send the ${
          apiKey ? `${apiKey.header} header or a ` : ''
        }Backstage service token`,
      );
    }
    // Compared as fixed-length digests so neither the length nor the content leaks through timing.
    if (!timingSafeEqual(digest(sent), apiKey!.digest)) {
      return problem(
        403,
        'NotAllowedError',
        `The ${apiKey!.header} header is not the configured key`,
      );
    }
    return undefined;
  };

  return async (request, context) => {
    const refuse = (
      reason: string,
      rejection: { status: number; payload: unknown },
    ) => {
      refused.add(1, { channel: 'http', reason });
      context.reject(rejection);
    };
    const denied = await authenticate(request.headers);
    if (denied) {
      refuse(denied.status === 401 ? 'unauthenticated' : 'forbidden', denied);
      return;
    }
    if (request.raw.body.length > MAX_EVENT_BYTES) {
      refuse(
        'too-large',
        problem(
          413,
          'PayloadTooLargeError',
          `An event body is at most ${MAX_EVENT_BYTES} bytes`,
        ),
      );
      return;
    }
    if (request.body === undefined) {
      refuse('malformed', problem(400, 'InputError', 'The body is not JSON'));
      return;
    }
    const parsed = parseAwsEvent(request.body);
    if ('problem' in parsed) {
      refuse(
        'malformed',
        problem(
          400,
          'InputError',
          `Not an EventBridge event the ML registry acts on: ${parsed.problem}`,
        ),
      );
      return;
    }
    if (!accountIds.includes(parsed.event.account)) {
      refuse(
        'malformed',
        problem(
          400,
          'InputError',
          `account: ${parsed.event.account} is not a configured ML account`,
        ),
      );
    }
  };
}

/**
 * Parses JSON as the events backend's default parser does, except that on the
 * registry's topic a body that is not JSON reaches the validator (as
 * `undefined`), which refuses it with 400 after authenticating the caller,
 * rather than failing with 500.
 */
export function createJsonBodyParser(registryTopic: string): HttpBodyParser {
  return async (request, parsedMediaType, topic) => {
    const bodyBuffer = request.body as Buffer;
    const encoding = parsedMediaType.parameters.charset ?? 'utf-8';
    if (!Buffer.isEncoding(encoding))
      throw new InputError(`Unsupported charset: ${encoding}`);
    try {
      return {
        bodyParsed: JSON.parse(bodyBuffer.toString(encoding)),
        bodyBuffer,
        encoding,
      };
    } catch (e) {
      if (topic === registryTopic)
        return { bodyParsed: undefined, bodyBuffer, encoding };
      throw new InputError(`The body is not JSON: ${e}`);
    }
  };
}

/**
 * Registers the ML registry's topic on the events backend's HTTP ingress,
 * `POST /api/events/http/<topic>`, guarded by the validator above. Leave the
 * topic out of `events.http.topics`: listed there, it is still guarded.
 *
 * @public
 */
export const eventsModuleMlRegistryIngress = createBackendModule({
  pluginId: 'events',
  moduleId: 'ml-registry-ingress',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        events: eventsExtensionPoint,
      },
      async init({ config, auth, events }) {
        const topic = readEventsTopic(config);
        const accountIds = readMlPlatformConfig(config).accounts.map(
          a => a.accountId,
        );
        events.addHttpPostBodyParser({
          contentType: 'application/json',
          parser: createJsonBodyParser(topic),
        });
        events.addHttpPostIngress({
          topic,
          validator: createIngressValidator({
            auth,
            apiKey: readApiKey(config),
            accountIds,
          }),
        });
      },
    });
  },
});
