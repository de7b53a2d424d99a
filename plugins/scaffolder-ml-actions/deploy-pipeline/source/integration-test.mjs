// The integration test of the test deployment: assumes the cross-account role
// in the test account (TEST_ROLE_ARN) and checks that the endpoint
// (ENDPOINT_NAME) is InService. CloudFormation's CREATE_UPDATE returns once the
// endpoint is created, so anything else is a failed deployment.
import { createRequire } from 'node:module';

// require, not import: an ES module import ignores NODE_PATH, through which a
// build image may provide the SDK.
const require = createRequire(import.meta.url);
// eslint-disable-next-line @backstage/no-undeclared-imports -- build code: the buildspec installs its SDK, not this package
const { STSClient, AssumeRoleCommand } = require('@aws-sdk/client-sts');
const { SageMakerClient, DescribeEndpointCommand } = require('@aws-sdk/client-sagemaker');

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`The test project must set the environment variable ${name}`);
  return value;
}

const endpointName = env('ENDPOINT_NAME');
const { Credentials } = await new STSClient({}).send(new AssumeRoleCommand({
  RoleArn: env('TEST_ROLE_ARN'),
  RoleSessionName: 'integration-test',
}));
const sagemaker = new SageMakerClient({
  credentials: {
    accessKeyId: Credentials.AccessKeyId,
    secretAccessKey: Credentials.SecretAccessKey,
    sessionToken: Credentials.SessionToken,
  },
});
const { EndpointStatus, FailureReason } = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpointName }));
if (EndpointStatus !== 'InService') {
  throw new Error(`Endpoint ${endpointName} is ${EndpointStatus}${FailureReason ? `: ${FailureReason}` : ''}, not InService`);
}
console.log(`Endpoint ${endpointName} is InService`);
