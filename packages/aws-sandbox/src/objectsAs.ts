import { SandboxCore } from './core';
import { Caller } from './identity';
import { handleS3 } from './services/s3';

// S3 reads and writes a service makes with a role it assumed (CodePipeline's
// artifacts, a CodeBuild source) go through the same S3 operations as
// requests, so the role's policies and the bucket's policy decide as in AWS.

/** An S3 object, as services name the objects they read and write (artifacts, build sources). */
export interface ObjectLocation {
  bucket: string;
  key: string;
}

const s3Path = (bucket: string, key: string) =>
  `/${encodeURIComponent(bucket)}/${key
    .split('/')
    .map(encodeURIComponent)
    .join('/')}`;

export function getObjectAs(
  core: SandboxCore,
  caller: Caller,
  bucket: string,
  key: string,
): Buffer {
  const response = handleS3(core, caller, {
    method: 'GET',
    path: s3Path(bucket, key),
    query: new URLSearchParams(),
    headers: {},
    body: Buffer.alloc(0),
  });
  return response.body as Buffer;
}

export function putObjectAs(
  core: SandboxCore,
  caller: Caller,
  bucket: string,
  key: string,
  body: Buffer,
  contentType = 'application/zip',
) {
  handleS3(core, caller, {
    method: 'PUT',
    path: s3Path(bucket, key),
    query: new URLSearchParams(),
    headers: { 'content-type': contentType },
    body,
  });
}
