// What the deploy pipeline's build scripts share: the AWS SDK as the build
// image provides it, and the project's environment variables.
import { createRequire } from 'node:module';

// require, not import: an ES module import ignores NODE_PATH, through which a
// build image may provide the SDK.
export const requireSdk = createRequire(import.meta.url);

/** The environment variable `name`, which the CodeBuild project must set. */
export function requiredEnv(name) {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `The CodeBuild project must set the environment variable ${name}`,
    );
  return value;
}
