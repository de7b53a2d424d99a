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

type Problem = ReturnType<typeof problem>;
type Headers = Record<string, string | string[] | undefined>;

/** A bearer token is accepted from another backend only (a service token). */
async function bearerProblem(
  auth: AuthService,
  bearer: string,
): Promise<Problem | undefined> {
  const credentials = await auth.authenticate(bearer).catch(() => undefined);
  if (!credentials)
    return problem(401, 'AuthenticationError', 'The bearer token is not valid');
  if (!auth.isPrincipal(credentials, 'service')) {
    return problem(
      403,
      'NotAllowedError',
      'Only another backend (a service token) or EventBridge may post events',
    );
  }
  return undefined;
}

/** Why the caller is not one that may post events, if it is not. */
async function senderProblem(
  auth: AuthService,
  apiKey: ApiKey | undefined,
  headers: Headers,
): Promise<Problem | undefined> {
  const bearer = /^Bearer (.+)$/i.exec(
    String(headers.authorization ?? ''),
  )?.[1];
  if (bearer) return bearerProblem(auth, bearer);
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
}

/** Why a body is not an event the registry takes, if it is not, with the reason counted. */
function bodyProblem(
  raw: Buffer,
  body: unknown,
  accountIds: string[],
): { reason: string; problem: Problem } | undefined {
  if (raw.length > MAX_EVENT_BYTES) {
    const message = `An event body is at most ${MAX_EVENT_BYTES} bytes`;
    return {
      reason: 'too-large',
      problem: problem(413, 'PayloadTooLargeError', message),
    };
  }
  const malformed = (message: string) => ({
    reason: 'malformed',
    problem: problem(400, 'InputError', message),
  });
  if (body === undefined) return malformed('The body is not JSON');
  const parsed = parseAwsEvent(body);
  if ('problem' in parsed)
    return malformed(
      `Not an EventBridge event the ML registry acts on: ${parsed.problem}`,
    );
  if (!accountIds.includes(parsed.event.account))
    return malformed(
      `account: ${parsed.event.account} is not a configured ML account`,
    );
  return undefined;
}

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
  return async (request, context) => {
    const refuse = (reason: string, rejection: Problem) => {
      refused.add(1, { channel: 'http', reason });
      context.reject(rejection);
    };
    const denied = await senderProblem(auth, apiKey, request.headers);
    if (denied) {
      refuse(denied.status === 401 ? 'unauthenticated' : 'forbidden', denied);
      return;
    }
    const bad = bodyProblem(request.raw.body, request.body, accountIds);
    if (bad) refuse(bad.reason, bad.problem);
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
