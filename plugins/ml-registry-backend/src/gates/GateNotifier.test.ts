import { mockCredentials } from '@backstage/backend-test-utils';
import {
  CodePipelineClient,
  GetPipelineStateCommand,
  PutApprovalResultCommand,
} from '@aws-sdk/client-codepipeline';
import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { Sandbox, startSandbox } from '@ml-governance/aws-sandbox';
import {
  GateApproversRequest,
  mlRegistryGateApproversExtensionPoint,
} from '@ml-governance/plugin-ml-registry-node';
import { until } from '@ml-governance/test-utils';
import request from 'supertest';
import { untilFirstSync } from '../__testUtils__/gateApi';
import { startGateBackend } from '../__testUtils__/gateBackend';
import { clearSandboxEnv, useSandboxEnv } from '../__testUtils__/sandboxEnv';

const DEV = '222222222222';
const SHARED = '111111111111';
const versionArn = (group: string, version: number) =>
  `arn:aws:sagemaker:us-east-1:${DEV}:model-package/${group}/${version}`;

/** What the organisation's approvers resolver was asked. */
const asked: GateApproversRequest[] = [];

/** An organisation's module: platform engineers, not ML engineers, decide the central gate. */
const centralApproversModule = createBackendModule({
  pluginId: 'ml-registry',
  moduleId: 'test-central-approvers',
  register(env) {
    env.registerInit({
      deps: { approvers: mlRegistryGateApproversExtensionPoint },
      async init({ approvers }) {
        approvers.setGateApprovers({
          async approversOf(question) {
            asked.push(question);
            return question.gate === 'central-approval'
              ? ['group:default/platform-engineers']
              : question.configured;
          },
        });
      },
    });
  },
});

/**
 * The approvers' notifications follow the decisions, through the real
 * notifications backend and the sandbox: the one that asked a lead data
 * scientist to decide is replaced, for every lead, by one saying who decided
 * what, in Backstage or outside it.
 */
describe('GateNotifier', () => {
  let sandbox: Sandbox;
  let server: any;
  let sagemaker: SageMakerClient;
  const as = (user: string) => ({
    authorization: mockCredentials.user.header(`user:default/${user}`),
  });
  /** The user's ml-registry notifications about `group`. */
  const inbox = async (user: string, group: string) =>
    (
      (
        await request(server)
          .get('/api/notifications/notifications')
          .set(as(user))
      ).body.notifications ?? []
    ).filter(
      (n: any) =>
        n.payload.topic === 'ml-registry' &&
        /^[\w-]+\b/.exec(n.payload.title)?.[0] === group,
    );
  const untilTitle = async (user: string, group: string, title: RegExp) =>
    until(
      `${user}'s notification about ${group} to match ${title}`,
      async () => {
        const found = await inbox(user, group);
        return found.some((n: any) => title.test(n.payload.title))
          ? found
          : undefined;
      },
    );
  const register = async (group: string, versions: number) => {
    await sagemaker.send(
      new CreateModelPackageGroupCommand({ ModelPackageGroupName: group }),
    );
    for (let i = 0; i < versions; i++) {
      await sagemaker.send(
        new CreateModelPackageCommand({
          ModelPackageGroupName: group,
          ModelApprovalStatus: 'PendingManualApproval',
        }),
      );
    }
  };
  const approve = (user: string, arn: string) =>
    request(server)
      .post('/api/ml-registry/gates/decisions')
      .set(as(user))
      .send({
        arn,
        gate: 'dev-approval',
        decision: 'approve',
        reason: 'holdout AUC 0.93',
      });

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, stepMs: 20 });
    useSandboxEnv(sandbox);
    sagemaker = new SageMakerClient({
      endpoint: sandbox.url,
      region: 'us-east-1',
      credentials: { accessKeyId: DEV, secretAccessKey: 'x' },
    });
    server = await startGateBackend({
      sandbox,
      catalog: true,
      notifications: true,
      features: [centralApproversModule],
      gates: {
        // The data scientist registers as the dev account's root user here.
        identities: [
          {
            aws: `arn:aws:iam::${DEV}:root`,
            user: 'user:default/dana.scientist',
          },
        ],
      },
    });
    await untilFirstSync(server);
  }, 60_000);

  afterAll(async () => {
    clearSandboxEnv();
    await sandbox.close();
  });

  it('replaces the request to decide with who decided, asking again only while versions still wait', async () => {
    await register('notify-model', 2);
    await untilTitle(
      'leo.lead',
      'notify-model',
      /2 versions wait for dev approval/,
    );

    expect(
      (await approve('leo.lead', versionArn('notify-model', 1))).status,
    ).toBe(200);
    const [first, ...others] = await untilTitle(
      'leo.lead',
      'notify-model',
      /^notify-model v1 approved by leo\.lead/,
    );
    expect(others).toEqual([]);
    expect(first.payload).toMatchObject({
      title: 'notify-model v1 approved by leo.lead (dev approval)',
      description: expect.stringContaining(
        '1 other version of notify-model still waits for your dev approval, newest v2. Version 1 of notify-model in fraud-dev was approved by leo.lead in Backstage: "holdout AUC 0.93".',
      ),
      link: '/catalog/default/resource/fraud-dev--notify-model/model?version=2',
      severity: 'normal',
    });

    expect(
      (await approve('leo.lead', versionArn('notify-model', 2))).status,
    ).toBe(200);
    const [last, ...more] = await untilTitle(
      'leo.lead',
      'notify-model',
      /^notify-model v2 approved/,
    );
    expect(more).toEqual([]);
    expect(last.payload).toMatchObject({
      description: expect.stringMatching(
        /^Nothing is left for you to decide here\. /,
      ),
      link: '/catalog/default/resource/fraud-dev--notify-model/model?version=2',
      severity: 'low',
    });
    expect(last.payload.description).not.toMatch(/pending your approval/);
    // Every lead's copy of it says the same: another lead sees who decided.
    const [othersCopy] = await inbox('lucia.lead', 'notify-model');
    expect(othersCopy?.payload.title).toBe(last.payload.title);
    // The data scientist was never asked, and is not told.
    expect(await inbox('dana.scientist', 'notify-model')).toEqual([]);
  }, 60_000);

  it('names the AWS identity of a decision taken outside Backstage', async () => {
    await register('console-model', 1);
    await untilTitle('leo.lead', 'console-model', /waits for dev approval/);
    await sagemaker.send(
      new UpdateModelPackageCommand({
        ModelPackageArn: versionArn('console-model', 1),
        ModelApprovalStatus: 'Rejected',
        ApprovalDescription: 'bias report missing',
      }),
    );
    const [decided, ...more] = await untilTitle(
      'leo.lead',
      'console-model',
      /rejected by/,
    );
    expect(more).toEqual([]);
    expect(decided.payload).toMatchObject({
      title: `console-model v1 rejected by arn:aws:iam::${DEV}:root (dev approval)`,
      description: expect.stringContaining(
        `Nothing is left for you to decide here. Version 1 of console-model in fraud-dev was rejected by arn:aws:iam::${DEV}:root outside Backstage: "bias report missing".`,
      ),
      severity: 'low',
    });
  }, 60_000);

  it('tells a governance decision taken in the CodePipeline console as taken outside Backstage', async () => {
    const root = {
      endpoint: sandbox.url,
      region: 'us-east-1',
      credentials: { accessKeyId: SHARED, secretAccessKey: 'x' },
    };
    // Approved centrally in the console: the deploy pipeline's rule starts a run, which waits for governance.
    await new SageMakerClient(root).send(
      new UpdateModelPackageCommand({
        ModelPackageArn: `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/fraud-detection/2`,
        ModelApprovalStatus: 'Approved',
      }),
    );
    await untilTitle(
      'grace.governance',
      'fraud-detection-deploy',
      /waits for governance approval/,
    );
    const codepipeline = new CodePipelineClient(root);
    const { stageStates = [] } = await codepipeline.send(
      new GetPipelineStateCommand({ name: 'fraud-detection-deploy' }),
    );
    const stage = stageStates.find(s => s.stageName === 'GovernanceApproval')!;
    await codepipeline.send(
      new PutApprovalResultCommand({
        pipelineName: 'fraud-detection-deploy',
        stageName: stage.stageName,
        actionName: stage.actionStates![0].actionName,
        token: stage.actionStates![0].latestExecution!.token,
        result: { status: 'Rejected', summary: 'bias report missing' },
      }),
    );
    // A run superseded at the gate keeps its own notification; the answered run's is replaced.
    const [decided, ...more] = (
      await untilTitle(
        'grace.governance',
        'fraud-detection-deploy',
        /governance rejected by/,
      )
    ).filter((n: any) => /rejected/.test(n.payload.title));
    expect(more).toEqual([]);
    // The run waiting may be the scenario's own (deploying v1) or the one the console approval started (v2).
    const [, version] =
      /governance approval of fraud-detection v(\d+) /.exec(
        decided.payload.description,
      ) ?? [];
    expect(decided.payload).toMatchObject({
      // The sandbox does not report ListActionExecutions' updatedBy.
      title:
        'fraud-detection-deploy: governance rejected by an AWS identity CodePipeline did not report',
      // The summary as ListActionExecutions reports it.
      description: expect.stringMatching(
        /^Nothing is left for you to decide on this run\. The governance approval of fraud-detection v[12] before production was rejected by an AWS identity CodePipeline did not report outside Backstage: "[^"]*bias report missing"\.$/,
      ),
      link: `/catalog/default/resource/ml-shared--fraud-detection/model?version=${version}`,
      severity: 'low',
    });
  }, 90_000);

  it("asks the people a module's resolver names, as the permission policy does", async () => {
    const shared = new SageMakerClient({
      endpoint: sandbox.url,
      region: 'us-east-1',
      credentials: { accessKeyId: SHARED, secretAccessKey: 'x' },
    });
    await shared.send(
      new CreateModelPackageGroupCommand({
        ModelPackageGroupName: 'notify-central',
      }),
    );
    await shared.send(
      new CreateModelPackageCommand({
        ModelPackageGroupName: 'notify-central',
        ModelApprovalStatus: 'PendingManualApproval',
      }),
    );
    await untilTitle(
      'priya.platform',
      'notify-central',
      /^notify-central v1 waits for central approval$/,
    );
    // The configured central approvers (the ML engineers) are not asked.
    expect(await inbox('mo.engineer', 'notify-central')).toEqual([]);
    expect(asked).toContainEqual({
      gate: 'central-approval',
      version: {
        arn: `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/notify-central/1`,
        accountId: SHARED,
        stage: 'shared-services',
      },
      configured: expect.arrayContaining([expect.stringMatching(/^group:/)]),
    });
  }, 60_000);
});
