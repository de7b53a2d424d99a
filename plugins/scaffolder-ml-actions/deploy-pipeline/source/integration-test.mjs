// The integration test of the test deployment: assumes the cross-account role
// in the test account (TEST_ROLE_ARN) and checks that the endpoint
// (ENDPOINT_NAME) is InService. CloudFormation's CREATE_UPDATE returns once the
// endpoint is created, so anything else is a failed deployment.
import { requiredEnv as env, requireSdk } from './buildEnv.mjs';

// eslint-disable-next-line @backstage/no-undeclared-imports -- build code: the buildspec installs its SDK, not this package
const { STSClient, AssumeRoleCommand } = requireSdk('@aws-sdk/client-sts');
const { SageMakerClient, DescribeEndpointCommand } = requireSdk(
  '@aws-sdk/client-sagemaker',
);

const endpointName = env('ENDPOINT_NAME');
const { Credentials } = await new STSClient({}).send(
  new AssumeRoleCommand({
    RoleArn: env('TEST_ROLE_ARN'),
    RoleSessionName: 'integration-test',
  }),
);
const sagemaker = new SageMakerClient({
  credentials: {
    accessKeyId: Credentials.AccessKeyId,
    secretAccessKey: Credentials.SecretAccessKey,
    sessionToken: Credentials.SessionToken,
  },
});
const { EndpointStatus, FailureReason } = await sagemaker.send(
  new DescribeEndpointCommand({ EndpointName: endpointName }),
);
if (EndpointStatus !== 'InService') {
  throw new Error(
    `Endpoint ${endpointName} is ${EndpointStatus}${
      FailureReason ? `: ${FailureReason}` : ''
    }, not InService`,
  );
}
console.log(`Endpoint ${endpointName} is InService`);
