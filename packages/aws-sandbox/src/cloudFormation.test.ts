import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { ListEndpointsCommand, UpdateModelPackageCommand } from '@aws-sdk/client-sagemaker';
import { rolesFromCloudFormation } from './cloudFormation';
import { clients, FRAUD_DEV, PROD, TOOLING, useSandbox } from './__testUtils__/clients';

const IAM = path.resolve(__dirname, '../../../iam');

describe('rolesFromCloudFormation', () => {
  it('reads the role of iam/ml-deployment-account.yaml as a StackSet deploys it', () => {
    expect(rolesFromCloudFormation(path.join(IAM, 'ml-deployment-account.yaml'), PROD, 'us-east-1', { BackstageAccountId: TOOLING })).toEqual([{
      name: 'backstage-ml',
      trust: [TOOLING],
      policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sagemaker:ListEndpoints', 'sagemaker:ListTags'], Resource: '*' }] }],
    }]);
  });

  it('resolves Fn::Sub with parameters and pseudo parameters', () => {
    const [role] = rolesFromCloudFormation(path.join(IAM, 'ml-shared-services-account.yaml'), '111111111111', 'eu-west-1', { BackstageAccountId: TOOLING });
    expect(JSON.stringify(role.policies)).toContain('"arn:aws:codepipeline:eu-west-1:111111111111:*-deploy"');
    expect(JSON.stringify(role.policies)).toContain('"arn:aws:s3:::ml-shared-artifacts-111111111111/*"');
  });

  it('names the file and what is wrong: a missing parameter, an unknown one, an unsupported intrinsic', () => {
    const file = path.join(IAM, 'ml-dev-account.yaml');
    expect(() => rolesFromCloudFormation(file, FRAUD_DEV, 'us-east-1')).toThrow(`CloudFormation template ${file}: parameter BackstageAccountId needs a value`);
    expect(() => rolesFromCloudFormation(file, FRAUD_DEV, 'us-east-1', { BackstageAccountId: TOOLING, Typo: 'x' })).toThrow('has no parameter Typo');
    const odd = path.join(mkdtempSync(path.join(os.tmpdir(), 'cfn-')), 'odd.yaml');
    writeFileSync(odd, 'Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: { "Fn::Join": ["-", [a, b]] }\n');
    expect(() => rolesFromCloudFormation(odd, FRAUD_DEV, 'us-east-1')).toThrow('uses Fn::Join, which the sandbox does not resolve');
  });
});

describe('roles from iam/ in the default scenario', () => {
  const sandbox = useSandbox();
  const asRole = async (account: string) => {
    const { Credentials } = await clients(sandbox.current, TOOLING).sts.send(new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${account}:role/backstage-ml`, RoleSessionName: 'backstage',
    }));
    return clients(sandbox.current, { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken });
  };

  it('lets a session do what its policies allow and refuses the rest, naming the action', async () => {
    const prod = await asRole(PROD);
    await expect(prod.sagemaker.send(new ListEndpointsCommand({}))).resolves.toBeDefined();
    const refused = await prod.sagemaker.send(new UpdateModelPackageCommand({
      ModelPackageArn: `arn:aws:sagemaker:us-east-1:${PROD}:model-package/x/1`, ModelApprovalStatus: 'Approved',
    })).catch(e => e);
    expect(refused.name).toBe('AccessDeniedException');
    expect(refused.message).toBe(`User: arn:aws:sts::${PROD}:assumed-role/backstage-ml/backstage is not authorized to perform: sagemaker:UpdateModelPackage on resource: * because no identity-based policy allows the sagemaker:UpdateModelPackage action`);
    // The account's root is not held to the role's policies.
    await expect(clients(sandbox.current, PROD).sagemaker.send(new ListEndpointsCommand({}))).resolves.toBeDefined();
  });
});
