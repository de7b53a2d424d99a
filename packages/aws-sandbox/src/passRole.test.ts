import {
  BatchGetProjectsCommand,
  CreateProjectCommand,
} from '@aws-sdk/client-codebuild';
import {
  CreatePipelineCommand as CreateCodePipelineCommand,
  GetPipelineCommand,
} from '@aws-sdk/client-codepipeline';
import {
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateDomainCommand,
  CreatePipelineCommand,
  CreateUserProfileCommand,
  DescribePipelineCommand,
  ListDomainsCommand,
} from '@aws-sdk/client-sagemaker';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import {
  clients,
  FRAUD_DEV,
  SHARED,
  TOOLING,
  useSandbox,
} from './__testUtils__/clients';
import { deployValues, renderBundle } from './__testUtils__/deployPipeline';
import { trainingPipeline } from './__testUtils__/trainingPipeline';

const role = (account: string, name: string) =>
  `arn:aws:iam::${account}:role/${name}`;

/**
 * iam:PassRole, as IAM checks it when an API hands a role to a service: the
 * suite's backstage-ml role (iam/) may pass only the roles it is granted, each
 * to its own service, so whoever drives it cannot have a service act as a
 * stronger role, its own included.
 */
describe('passing a role', () => {
  const sandbox = useSandbox();
  const backstage = async (account: string) => {
    const { Credentials } = await clients(sandbox.current, TOOLING).sts.send(
      new AssumeRoleCommand({
        RoleArn: role(account, 'backstage-ml'),
        RoleSessionName: 'backstage',
      }),
    );
    return clients(sandbox.current, {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken,
    });
  };
  const refusal = async (call: Promise<unknown>) => {
    const e: any = await call.then(
      () => undefined,
      error => error,
    );
    return e && { name: e.name, message: e.message };
  };
  const deniedPassing = (account: string, passed: string) => ({
    name: 'AccessDeniedException',
    message: `User: arn:aws:sts::${account}:assumed-role/backstage-ml/backstage is not authorized to perform: iam:PassRole on resource: ${passed} because no identity-based policy allows the iam:PassRole action`,
  });

  it('refuses a Studio domain, user or pipeline acting as a role other than the configured SageMaker ones', async () => {
    const { sagemaker } = await backstage(FRAUD_DEV);
    const domain = (executionRole: string, name: string) =>
      new CreateDomainCommand({
        DomainName: name,
        AuthMode: 'IAM',
        VpcId: 'vpc-0a1b2c3d',
        SubnetIds: ['subnet-0a1b2c3d'],
        DefaultUserSettings: { ExecutionRole: executionRole },
      });
    const domainNames = async () =>
      ((await sagemaker.send(new ListDomainsCommand({}))).Domains ?? []).map(
        d => d.DomainName,
      );

    expect(
      await refusal(
        sagemaker.send(domain(role(FRAUD_DEV, 'backstage-ml'), 'as-backstage')),
      ),
    ).toEqual(deniedPassing(FRAUD_DEV, role(FRAUD_DEV, 'backstage-ml')));
    expect(await domainNames()).not.toContain('as-backstage');
    const { DomainId } = await sagemaker.send(
      domain(role(FRAUD_DEV, 'sagemaker-execution'), 'as-execution'),
    );
    expect(await domainNames()).toContain('as-execution');

    expect(
      await refusal(
        sagemaker.send(
          new CreateUserProfileCommand({
            DomainId,
            UserProfileName: 'mallory',
            UserSettings: { ExecutionRole: role(FRAUD_DEV, 'admin') },
          }),
        ),
      ),
    ).toEqual(deniedPassing(FRAUD_DEV, role(FRAUD_DEV, 'admin')));

    const pipeline = (roleArn: string, name: string) =>
      new CreatePipelineCommand({
        PipelineName: name,
        RoleArn: roleArn,
        ClientRequestToken: `${name}-${'0'.repeat(32)}`,
        PipelineDefinition: JSON.stringify(
          trainingPipeline(
            `sagemaker-us-east-1-${FRAUD_DEV}`,
            'fraud-detection',
          ).definition,
        ),
      });
    expect(
      await refusal(
        sagemaker.send(
          pipeline(role(FRAUD_DEV, 'ml-deploy-cloudformation'), 'stolen-role'),
        ),
      ),
    ).toEqual(
      deniedPassing(FRAUD_DEV, role(FRAUD_DEV, 'ml-deploy-cloudformation')),
    );
    expect(
      await refusal(
        sagemaker.send(
          new DescribePipelineCommand({ PipelineName: 'stolen-role' }),
        ),
      ),
    ).toMatchObject({ name: 'ResourceNotFound' });
    await sagemaker.send(
      pipeline(role(FRAUD_DEV, 'ml-sagemaker-pipeline'), 'own-role'),
    );
  });

  it('refuses a deploy pipeline, its projects or its rule a role meant for another service', async () => {
    const shared = await backstage(SHARED);
    const bundle = renderBundle(deployValues('passrole', 'fraud-detection'));
    const [project] = bundle.projects;

    // The pipeline's role handed to CodeBuild: a role CodeBuild could assume, but not one passed to it.
    const misplaced = {
      ...project,
      serviceRole: role(SHARED, 'ml-deploy-pipeline'),
    };
    expect(
      await refusal(shared.codebuild.send(new CreateProjectCommand(misplaced))),
    ).toEqual(deniedPassing(SHARED, role(SHARED, 'ml-deploy-pipeline')));
    expect(
      (
        await shared.codebuild.send(
          new BatchGetProjectsCommand({ names: [project.name] }),
        )
      ).projects,
    ).toEqual([]);
    for (const p of bundle.projects)
      await shared.codebuild.send(new CreateProjectCommand(p));

    const asBackstage = {
      ...bundle.pipeline,
      roleArn: role(SHARED, 'backstage-ml'),
    };
    expect(
      await refusal(
        shared.codepipeline.send(
          new CreateCodePipelineCommand({
            pipeline: asBackstage,
            tags: bundle.tags,
          }),
        ),
      ),
    ).toEqual(deniedPassing(SHARED, role(SHARED, 'backstage-ml')));
    expect(
      await refusal(
        shared.codepipeline.send(
          new GetPipelineCommand({ name: bundle.pipeline.name }),
        ),
      ),
    ).toMatchObject({ name: 'PipelineNotFoundException' });
    await shared.codepipeline.send(
      new CreateCodePipelineCommand({
        pipeline: bundle.pipeline,
        tags: bundle.tags,
      }),
    );

    await shared.events.send(new PutRuleCommand(bundle.rule));
    const viaCodeBuildRole = {
      ...bundle.targets,
      Targets: bundle.targets.Targets.map((t: any) => ({
        ...t,
        RoleArn: role(SHARED, 'ml-deploy-codebuild'),
      })),
    };
    expect(
      await refusal(
        shared.events.send(new PutTargetsCommand(viaCodeBuildRole)),
      ),
    ).toEqual(deniedPassing(SHARED, role(SHARED, 'ml-deploy-codebuild')));
    expect(
      (
        await shared.events.send(
          new ListTargetsByRuleCommand({ Rule: bundle.rule.Name }),
        )
      ).Targets,
    ).toEqual([]);
    await shared.events.send(new PutTargetsCommand(bundle.targets));
  });
});
