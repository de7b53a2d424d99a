import http from 'node:http';
import { AddressInfo } from 'node:net';
import { callerFromAuthorization } from './callerIdentity';
import { AwsError } from './errors';
import { queryError, queryResponse } from './protocols/query';
import { handleSts, STS_XMLNS } from './services/sts';

/** Requests larger than this are refused before they are read whole. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;

export interface SandboxOptions {
  /** 0 picks a free port, as tests do. Defaults to 4566. */
  port?: number;
  host?: string;
}

export interface Sandbox {
  /** The endpoint to give AWS SDK clients, e.g. http://127.0.0.1:4566. */
  url: string;
  close(): Promise<void>;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new AwsError('RequestEntityTooLarge', `Request body exceeds ${MAX_BODY_BYTES} bytes`, 413));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  // Only STS, over the query protocol, is served so far.
  const xmlns = STS_XMLNS;
  const send = (status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'text/xml' });
    res.end(body);
  };
  try {
    const body = await readBody(req);
    const caller = callerFromAuthorization(req.headers.authorization);
    if (!caller) {
      throw new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
    }
    const params = new URLSearchParams(body);
    const action = params.get('Action');
    if (!action) {
      throw new AwsError('MissingAction', 'Missing required parameter Action');
    }
    send(200, queryResponse(action, xmlns, handleSts(action, params, caller)));
  } catch (e) {
    const error =
      e instanceof AwsError ? e : new AwsError('InternalFailure', String(e), 500);
    send(error.status, queryError(error, xmlns));
  }
}

/** Starts the sandbox's HTTP server. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const server = http.createServer((req, res) => {
    handle(req, res);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4566, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close(err => (err ? reject(err) : resolve()));
      }),
  };
}
