import { CodePipelineClient, CreatePipelineCommand, GetPipelineCommand } from '@aws-sdk/client-codepipeline';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { AccountStage, accountByName, MlPlatformConfig, readMlPlatformConfig } from '@ml-governance/plugin-ml-registry-common';
import { AwsClientFactory, entityName } from '@ml-governance/plugin-ml-registry-node';
import { awsFailure } from './awsFailure';
import { examples } from './createDeployPipeline.examples';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;
const GROUP_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:(\d{12}):model-package-group\/([a-zA-Z0-9-]{1,63})$/;

/** The central group to deploy, given by account and name or by ARN. */
function centralGroup(platform: MlPlatformConfig, input: { account?: string; modelPackageGroupName?: string; modelPackageGroupArn?: string }) {
  if (input.modelPackageGroupArn) {
    const [, accountId, name] = input.modelPackageGroupArn.match(GROUP_ARN) ?? [];
    const account = platform.accounts.find(a => a.accountId === accountId);
    if (!account) throw new InputError(`modelPackageGroupArn: account ${accountId} is not configured under mlRegistry.accounts`);
    return { account: accountOfStage(platform, 'modelPackageGroupArn', account.name, 'shared-services'), groupName: name };
  }
  if (!input.account || !input.modelPackageGroupName) {
    throw new InputError('Give the central model as modelPackageGroupArn, or as account and modelPackageGroupName');
  }
  return { account: accountOfStage(platform, 'account', input.account, 'shared-services'), groupName: input.modelPackageGroupName };
}

/** An account named in the input, which must be of the stage its field is for. */
function accountOfStage(platform: MlPlatformConfig, field: string, name: string, stage: AccountStage) {
  const account = accountByName(platform, name);
  if (account.stage !== stage) throw new InputError(`${field}: ${name} is a ${account.stage} account, not ${stage}`);
  return account;
}

/**
 * `codepipeline:deploy-pipeline:create` creates the cross-account deploy
 * pipeline of a central model: its source is the newest Approved version of
 * the model package group; it deploys a real-time endpoint to the test
 * account, runs the integration tests, waits for the governance officer's
 * manual approval, then deploys to prod. Deploy actions assume a role in the
 * target account. A re-run finds the pipeline and leaves it as it is.
 *
 * @public
 */
export function createDeployPipelineAction(options: { config: Config; clients: AwsClientFactory }) {
  const platform = readMlPlatformConfig(options.config);

  return createTemplateAction({
    id: 'codepipeline:deploy-pipeline:create',
    description: 'Creates a cross-account CodePipeline that deploys a model to test, tests it, waits for governance approval and deploys to prod.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        account: z => z.string().min(1).optional().describe('The shared services account holding the central model, by its name under mlRegistry.accounts'),
        modelPackageGroupName: z => z.string().regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/).optional().describe('The central model package group it deploys'),
        modelPackageGroupArn: z => z.string().regex(GROUP_ARN, 'a model package group ARN').optional()
          .describe('Or the group by its ARN, e.g. the aws.amazon.com/arn annotation of the model\'s catalog entity'),
        name: z => z.string().regex(/^[A-Za-z0-9.@_-]{1,100}$/, 'letters, digits, . @ _ and -').optional()
          .describe('The pipeline name; default <group>-deploy, the name approvals look for'),
        testAccount: z => z.string().min(1).describe('The test account by name'),
        prodAccount: z => z.string().min(1).describe('The prod account by name'),
        instanceType: z => z.string().regex(/^ml\.[a-z0-9]+\.[a-z0-9]+$/, 'a SageMaker instance type such as ml.m5.large').optional().describe('The endpoint instance type; default ml.m5.large'),
        instanceCount: z => z.number().int().min(1).max(20).optional().describe('Instances behind each endpoint; default 1'),
        roleArn: z => z.string().regex(ROLE_ARN, 'an IAM role ARN').optional()
          .describe('The pipeline\'s service role; default the account\'s ml-deploy-pipeline role'),
        deployRoleName: z => z.string().regex(/^[\w+=,.@-]{1,64}$/).optional()
          .describe('The role the deploy actions assume in the test and prod accounts; default ml-deploy'),
        artifactBucket: z => z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/).optional()
          .describe('The artifact bucket; default ml-artifacts-<account id>'),
        approvalUrl: z => z.string().url().optional().describe('Where the governance officer reviews the version (shown on the approval)'),
      },
      output: {
        pipelineName: z => z.string(),
        pipelineArn: z => z.string(),
        created: z => z.boolean().describe('False when the pipeline already existed'),
        testEndpointName: z => z.string(),
        prodEndpointName: z => z.string(),
        testEndpointEntityRef: z => z.string().describe('The model-server entity of the test endpoint, once deployed and synced'),
        prodEndpointEntityRef: z => z.string().describe('The model-server entity of the prod endpoint, once deployed and synced'),
      },
    },
    async handler(ctx) {
      const { account, groupName } = centralGroup(platform, ctx.input);
      const input = {
        ...ctx.input, modelPackageGroupName: groupName,
        instanceType: ctx.input.instanceType ?? 'ml.m5.large', instanceCount: ctx.input.instanceCount ?? 1, deployRoleName: ctx.input.deployRoleName ?? 'ml-deploy',
      };
      const test = accountOfStage(platform, 'testAccount', input.testAccount, 'test');
      const prod = accountOfStage(platform, 'prodAccount', input.prodAccount, 'prod');
      const name = input.name ?? `${input.modelPackageGroupName}-deploy`;
      const groupArn = `arn:aws:sagemaker:${platform.region}:${account.accountId}:model-package-group/${input.modelPackageGroupName}`;
      const endpoint = (stage: string) => `${input.modelPackageGroupName}-${stage}`;
      const deploy = (actionName: string, target: { accountId: string }, endpointName: string) => ({
        name: actionName,
        actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'SageMaker', version: '1' } as const,
        roleArn: `arn:aws:iam::${target.accountId}:role/${input.deployRoleName}`,
        configuration: {
          AccountId: target.accountId, EndpointName: endpointName, ModelPackageGroupArn: groupArn,
          InstanceType: input.instanceType, InstanceCount: String(input.instanceCount),
        },
        runOrder: 1,
      });
      ctx.output('pipelineName', name);
      ctx.output('testEndpointName', endpoint('test'));
      ctx.output('prodEndpointName', endpoint('prod'));
      ctx.output('testEndpointEntityRef', `component:default/${entityName(test.name, endpoint('test'))}`);
      ctx.output('prodEndpointEntityRef', `component:default/${entityName(prod.name, endpoint('prod'))}`);
      const arn = `arn:aws:codepipeline:${platform.region}:${account.accountId}:${name}`;
      if (ctx.isDryRun) {
        ctx.logger.info(`Would create ${name} in ${account.name}: ${groupArn} to ${test.name}, integration test, governance approval, ${prod.name}`);
        ctx.output('pipelineArn', arn);
        ctx.output('created', false);
        return;
      }
      const codepipeline = await options.clients.create(CodePipelineClient, account.accountId);
      try {
        const existing = await codepipeline.send(new GetPipelineCommand({ name })).catch(e => {
          if (e?.name === 'PipelineNotFoundException') return undefined;
          throw e;
        });
        if (existing) {
          ctx.logger.info(`Pipeline ${name} already exists; left as it is`);
          ctx.output('pipelineArn', existing.metadata?.pipelineArn ?? arn);
          ctx.output('created', false);
          return;
        }
        const created = await codepipeline.send(new CreatePipelineCommand({
          pipeline: {
            name,
            roleArn: input.roleArn ?? `arn:aws:iam::${account.accountId}:role/ml-deploy-pipeline`,
            artifactStore: { type: 'S3', location: input.artifactBucket ?? `ml-artifacts-${account.accountId}` },
            stages: [
              {
                name: 'Source',
                actions: [{
                  name: 'ModelPackage', actionTypeId: { category: 'Source', owner: 'AWS', provider: 'SageMaker', version: '1' },
                  configuration: { ModelPackageGroupArn: groupArn }, outputArtifacts: [{ name: 'ModelPackage' }], runOrder: 1,
                }],
              },
              { name: 'DeployTest', actions: [deploy('DeployTest', test, endpoint('test'))] },
              {
                name: 'IntegrationTest',
                actions: [{
                  name: 'IntegrationTest', actionTypeId: { category: 'Test', owner: 'AWS', provider: 'CodeBuild', version: '1' },
                  roleArn: `arn:aws:iam::${test.accountId}:role/${input.deployRoleName}`,
                  configuration: { ProjectName: `${input.modelPackageGroupName}-integration-test`, AccountId: test.accountId, EndpointName: endpoint('test') },
                  runOrder: 1,
                }],
              },
              {
                name: 'GovernanceApproval',
                actions: [{
                  name: 'GovernanceApproval', actionTypeId: { category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' },
                  configuration: {
                    CustomData: 'Check the model card, metrics, bias report and endpoint access, then approve for production.',
                    ...(input.approvalUrl ? { ExternalEntityLink: input.approvalUrl } : {}),
                  },
                  runOrder: 1,
                }],
              },
              { name: 'DeployProd', actions: [deploy('DeployProd', prod, endpoint('prod'))] },
            ],
          },
          tags: [{ key: 'ml-governance:model-package-group', value: input.modelPackageGroupName }],
        }));
        ctx.logger.info(`Created ${name}: ${test.name} (${endpoint('test')}), integration test, governance approval, ${prod.name} (${endpoint('prod')})`);
        ctx.output('pipelineArn', arn);
        ctx.output('created', !!created.pipeline);
      } catch (e) {
        throw awsFailure(`create deploy pipeline ${name}`, account, e);
      }
    },
  });
}
