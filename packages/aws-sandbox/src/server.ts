import http from 'node:http';
import { AddressInfo } from 'node:net';
import { OperationTable, RequestContext } from './context';
import { SandboxCore } from './core';
import {
  checkJsonRequest,
  checkResponse,
  checkRestRequest,
  checkRestResponse,
  queryRequest,
} from './contract';
import { AwsError } from './errors';
import { DroppedConnection } from './faults';
import { requireIdentityAllows, resourceOf } from './authorization';
import { parseAuthorization, resolveCaller } from './identity';
import { requirePassRole } from './passRole';
import { jsonError } from './protocols/json';
import { queryError, queryResponse } from './protocols/query';
import { codeBuildOperations } from './services/codebuild';
import { codePipelineOperations } from './services/codepipeline';
import { ecrOperations } from './services/ecr';
import { eventsOperations } from './services/events';
import { handleS3, S3_OPERATIONS, s3Error, s3Operation } from './services/s3';
import { sagemakerOperations } from './services/sagemaker';
import { serviceCatalogOperations } from './services/servicecatalog';
import { sqsOperations } from './services/sqs';
import { STS_XMLNS, stsOperations } from './services/sts';

/** Bodies larger than this are refused before they are read whole. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * The JSON-protocol services, by the service name in the SigV4 scope; each is
 * held to models/<name>.json.
 */
export const JSON_SERVICES: Record<
  string,
  { operations: OperationTable; contentType: string }
> = {
  sagemaker: {
    operations: sagemakerOperations,
    contentType: 'application/x-amz-json-1.1',
  },
  codepipeline: {
    operations: codePipelineOperations,
    contentType: 'application/x-amz-json-1.1',
  },
  codebuild: {
    operations: codeBuildOperations,
    contentType: 'application/x-amz-json-1.1',
  },
  servicecatalog: {
    operations: serviceCatalogOperations,
    contentType: 'application/x-amz-json-1.1',
  },
  events: {
    operations: eventsOperations,
    contentType: 'application/x-amz-json-1.1',
  },
  sqs: { operations: sqsOperations, contentType: 'application/x-amz-json-1.0' },
  ecr: { operations: ecrOperations, contentType: 'application/x-amz-json-1.1' },
};

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      reject(
        new AwsError(
          'RequestEntityTooLarge',
          `Request body of ${declared} bytes exceeds ${MAX_BODY_BYTES}`,
          413,
        ),
      );
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(
          new AwsError(
            'RequestEntityTooLarge',
            `Request body exceeds ${MAX_BODY_BYTES} bytes`,
            413,
          ),
        );
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

type Reply = {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
};

function toAwsError(e: unknown): AwsError {
  if (e instanceof AwsError) return e;
  console.error('aws-sandbox: internal error', e);
  return new AwsError(
    'InternalFailure',
    'The request processing has failed because of an unknown error.',
    500,
  );
}

/** Sandbox controls for tests and demos: counters and faults. */
async function handleAdmin(
  core: SandboxCore,
  req: http.IncomingMessage,
  path: string,
): Promise<Reply> {
  const json = (status: number, value: unknown): Reply => ({
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  });
  if (path === '/_sandbox/counters' && req.method === 'GET')
    return json(200, core.counters());
  if (path === '/_sandbox/counters' && req.method === 'DELETE') {
    core.resetCounters();
    return json(200, {});
  }
  if (path === '/_sandbox/faults' && req.method === 'GET')
    return json(200, core.faults.list());
  if (path === '/_sandbox/faults' && req.method === 'PUT') {
    const faults = JSON.parse((await readBody(req)).toString() || '[]');
    try {
      core.faults.set(faults);
    } catch (e: any) {
      return json(400, { message: e.message });
    }
    return json(200, faults);
  }
  if (path === '/_sandbox/health')
    return json(200, {
      status: 'ok',
      accounts: Object.keys(core.state.accounts),
    });
  return json(404, { message: `no sandbox control at ${req.method} ${path}` });
}

export interface ServeOptions {
  /** Holds every response to the operation's output shape; a breach fails the request with a 500. */
  checkResponses: boolean;
}

/** An AWS error in the service's own protocol: S3's XML, STS's query XML, or JSON. */
function errorReply(service: string, method: string, error: AwsError): Reply {
  if (service === 's3') return s3Error(error, method);
  if (service === 'sts') {
    return {
      status: error.status,
      headers: { 'content-type': 'text/xml' },
      body: queryError(error, STS_XMLNS),
    };
  }
  const { headers, body } = jsonError(error, service);
  return {
    status: error.status,
    headers: {
      ...headers,
      'content-type': JSON_SERVICES[service]?.contentType ?? 'application/json',
    },
    body,
  };
}

/** The request as the handlers read it. */
interface Incoming {
  service: string;
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * The operation a request asks for: S3 names it by method and path, STS by
 * its Action parameter, the JSON services by the X-Amz-Target header.
 */
function operationOf(request: Incoming, target: string): string {
  if (request.service === 's3') {
    return s3Operation({
      method: request.method,
      path: request.url.pathname,
      query: request.url.searchParams,
      headers: request.headers,
    });
  }
  if (request.service === 'sts')
    return (
      new URLSearchParams(request.body.toString()).get('Action') ?? 'unknown'
    );
  return target.split('.').pop() || 'unknown';
}

function serveS3(
  ctx: RequestContext,
  request: Incoming,
  operation: string,
  options: ServeOptions,
): Reply {
  if (!(S3_OPERATIONS as readonly string[]).includes(operation)) {
    throw new AwsError(
      'NotImplemented',
      `${request.method} ${request.url.pathname} is not supported by the sandbox`,
      501,
    );
  }
  const s3Request = {
    method: request.method,
    path: request.url.pathname,
    query: request.url.searchParams,
    headers: request.headers,
    body: request.body,
  };
  checkRestRequest('s3', operation, s3Request);
  const reply = handleS3(ctx.core, ctx.caller, s3Request);
  if (options.checkResponses) checkRestResponse('s3', operation, reply);
  return reply;
}

function serveSts(
  ctx: RequestContext,
  request: Incoming,
  operation: string,
  options: ServeOptions,
): Reply {
  const handler = stsOperations[operation];
  if (!handler)
    throw new AwsError(
      'InvalidAction',
      `Could not find operation ${operation} for version 2011-06-15`,
    );
  const params = new URLSearchParams(request.body.toString());
  const output = handler(queryRequest('sts', operation, params), ctx);
  if (options.checkResponses) checkResponse('sts', operation, output, 'date');
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: queryResponse(operation, STS_XMLNS, output),
  };
}

function parseJsonBody(body: Buffer): unknown {
  try {
    return body.length ? JSON.parse(body.toString()) : {};
  } catch {
    throw new AwsError(
      'SerializationException',
      'The request body is not valid JSON',
    );
  }
}

/** A JSON-protocol request: held to the service's model, then to the caller's IAM policies, then handled. */
async function serveJson(
  ctx: RequestContext,
  request: Incoming,
  operation: string,
  options: ServeOptions,
): Promise<Reply> {
  const { service } = request;
  const json = JSON_SERVICES[service];
  if (!json)
    throw new AwsError(
      'UnknownServiceException',
      `The sandbox does not serve ${service}`,
    );
  const handler = json.operations[operation];
  if (!handler)
    throw new AwsError(
      'UnknownOperationException',
      `${service} has no operation ${operation} in the sandbox`,
    );
  const input = parseJsonBody(request.body);
  checkJsonRequest(service, operation, input);
  const action = `${service}:${operation}`;
  const { core, caller } = ctx;
  requireIdentityAllows(
    caller,
    action,
    resourceOf(service, input, core.region, caller.accountId),
  );
  requirePassRole(caller, action, input);
  const output = await handler(input, ctx);
  if (options.checkResponses)
    checkResponse(service, operation, output, 'epoch-seconds');
  return {
    status: 200,
    headers: { 'content-type': json.contentType },
    body: JSON.stringify(output ?? {}),
  };
}

/** Who calls, counted and put through the faults set for their account, then served by protocol. */
async function serveCaller(
  core: SandboxCore,
  req: http.IncomingMessage,
  request: Incoming,
  options: ServeOptions,
): Promise<Reply> {
  const auth = parseAuthorization(req.headers.authorization);
  if (!auth) {
    throw new AwsError(
      'MissingAuthenticationToken',
      'Request is missing Authentication Token',
      403,
    );
  }
  const caller = resolveCaller(core.state, auth.accessKeyId);
  const ctx: RequestContext = {
    core,
    caller,
    account: core.account(caller.accountId),
  };
  const operation = operationOf(
    request,
    String(req.headers['x-amz-target'] ?? ''),
  );
  core.count(request.service, operation, caller.accountId);
  await core.faults.apply({
    account: caller.accountId,
    service: request.service,
    operation,
    session: Boolean(core.state.sessions[caller.accessKeyId]),
    socket: req.socket,
  });
  if (request.service === 's3')
    return serveS3(ctx, request, operation, options);
  if (request.service === 'sts')
    return serveSts(ctx, request, operation, options);
  return serveJson(ctx, request, operation, options);
}

async function dispatch(
  core: SandboxCore,
  req: http.IncomingMessage,
  options: ServeOptions,
): Promise<Reply> {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  if (url.pathname.startsWith('/_sandbox/'))
    return handleAdmin(core, req, url.pathname);
  const service =
    parseAuthorization(req.headers.authorization)?.service ?? 'unknown';
  const method = req.method ?? 'GET';
  try {
    const body = await readBody(req);
    const request = { service, method, url, headers: req.headers, body };
    return await serveCaller(core, req, request, options);
  } catch (e) {
    if (e instanceof DroppedConnection) throw e;
    return errorReply(service, method, toAwsError(e));
  }
}

export interface ServerHandle {
  url: string;
  close(): Promise<void>;
}

/** Serves a sandbox core over HTTP. */
export async function serve(
  core: SandboxCore,
  port: number,
  host: string,
  options: ServeOptions,
): Promise<ServerHandle> {
  const server = http.createServer((req, res) => {
    dispatch(core, req, options)
      .then(reply => {
        res.writeHead(reply.status, {
          'x-amzn-requestid': crypto.randomUUID(),
          ...reply.headers,
        });
        res.end(reply.body);
      })
      .catch(e => {
        if (!(e instanceof DroppedConnection))
          console.error('aws-sandbox: cannot reply', e);
        res.destroy();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: actualPort } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${actualPort}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close(err => (err ? reject(err) : resolve()));
      }),
  };
}
