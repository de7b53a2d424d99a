import {
  CodePipelineClient,
  ListPipelineExecutionsCommand,
} from '@aws-sdk/client-codepipeline';
import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  DescribeModelCardCommand,
  ListModelCardVersionsCommand,
  ListModelPackagesCommand,
  SageMakerClient,
  UpdateModelCardCommand,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import {
  Sandbox,
  sandboxRootClientConfig,
  startSdkSandbox,
} from '@ml-governance/aws-sandbox';
import {
  GateState,
  VersionGates,
} from '@ml-governance/plugin-ml-registry-common';
import { until, exampleOrgUserInfoFactory } from '@ml-governance/test-utils';
import request from 'supertest';
import { Server } from 'node:http';
import {
  asUser,
  readGates,
  untilFirstSync,
  untilStored,
} from '../__testUtils__/gateApi';
import { startGateBackend } from '../__testUtils__/gateBackend';
import { xgboostInference } from '../__testUtils__/modelPackages';

// The example organisation's memberships, as sign-in puts them in each token, and
// one person holding two roles, to show separation of duties.
const userInfoFactory = exampleOrgUserInfoFactory({
  'sam.both': ['lead-data-scientists', 'ml-engineers', 'fraud-ds', 'churn-ds'],
});

const DEV = '222222222222';
const SHARED = '111111111111';
const DEV_V3 = `arn:aws:sagemaker:us-east-1:${DEV}:model-package/fraud-detection/3`;

/**
 * The whole governed path, from a data scientist's registration to a prod
 * endpoint, through the plugin's REST
 * API only, as the example users, against the sandbox: dev approval,
 * promotion (through the real SQS events path), central approval, the deploy
 * pipeline to test, the governance checklist and approval, prod.
 */
describe('a model version from the dev registry to production', () => {
  let sandbox: Sandbox;
  let server: Server;
  const gatesOf = (arn: string) => readGates(server, arn);
  const decide = (user: string, body: object) =>
    request(server)
      .post('/api/ml-registry/gates/decisions')
      .set(asUser(user))
      .send(body);
  /** `user` approves `gate` of the version `arn`, or decides as `more` says (a rejection, the officer's fields). */
  const decision =
    (gate: GateState['gate']) =>
    (user: string, arn: string, reason: string, more: object = {}) =>
      decide(user, { arn, gate, decision: 'approve', reason, ...more });
  const devApproval = decision('dev-approval');
  const centralApproval = decision('central-approval');
  const governanceApproval = decision('governance-approval');
  // A version not synced yet has no gates.
  const stateOf = (gates: VersionGates, gate: string) =>
    gates.gates?.find(g => g.gate === gate);
  /** A decision answered 200, with `gate` now approved by `user` (and as `more` says). */
  const expectApproved = (
    response: request.Response,
    gate: string,
    user: string,
    more: object = {},
  ) => {
    expect(response.status).toBe(200);
    expect(stateOf(response.body, gate)).toMatchObject({
      state: 'approved',
      actor: `user:default/${user}`,
      ...more,
    });
  };

  beforeAll(async () => {
    sandbox = await startSdkSandbox({ stepMs: 20, defaultCredentials: true });
    server = await startGateBackend({
      sandbox,
      catalog: true,
      // The catalog holds the example organisation: notifications to a group reach its members through it.
      notifications: true,
      userInfo: userInfoFactory,
      gates: {
        thresholds: { auc: 0.9 },
        // The data scientists register as their dev account's root user in this test.
        identities: [
          {
            aws: `arn:aws:iam::${DEV}:root`,
            user: 'user:default/dana.scientist',
          },
          {
            aws: 'arn:aws:iam::222222222223:root',
            user: 'user:default/chen.scientist',
          },
        ],
      },
    });
    await untilFirstSync(server);
  }, 60_000);

  afterAll(() => sandbox.close());

  it('goes through every gate as the right people, with an audit entry for each step', async () => {
    const shared = new SageMakerClient(
      sandboxRootClientConfig(sandbox, SHARED),
    );
    const cardVersions = async () =>
      (
        await shared.send(
          new ListModelCardVersionsCommand({
            ModelCardName: 'fraud-detection',
          }),
        )
      ).ModelCardVersionSummaryList?.length;
    const cardsBefore = await cardVersions();
    expect(stateOf(await gatesOf(DEV_V3), 'dev-approval')).toEqual({
      gate: 'dev-approval',
      state: 'pending',
    });

    // A data scientist may not approve in the dev registry; nothing changes in AWS.
    const denied = await devApproval('dana.scientist', DEV_V3, 'looks good');
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain(
      'ml-registry.gate.dev-approval is not allowed',
    );
    expect(stateOf(await gatesOf(DEV_V3), 'dev-approval')?.state).toBe(
      'pending',
    );

    // No reason, no decision.
    const silent = await devApproval('leo.lead', DEV_V3, '');
    expect(silent.status).toBe(400);

    // The lead data scientist approves; a second approval gets 409 with the state.
    const approved = await devApproval(
      'leo.lead',
      DEV_V3,
      'AUC 0.93 on holdout',
    );
    expectApproved(approved, 'dev-approval', 'leo.lead', {
      reason: 'AUC 0.93 on holdout',
    });
    const again = await devApproval('sam.both', DEV_V3, 'me too');
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain(
      'already Approved (Approved by user:default/leo.lead: AUC 0.93 on holdout)',
    );

    // Promotion follows from the state-change event (EventBridge -> SQS -> events): one central package, one new card version.
    const promoted = await until('the promotion', async () => {
      const gates = await gatesOf(DEV_V3);
      return stateOf(gates, 'promotion')?.state === 'done' ? gates : undefined;
    });
    const centralArn = promoted.centralArn!;
    expect(centralArn).toMatch(
      new RegExp(
        `^arn:aws:sagemaker:us-east-1:${SHARED}:model-package/fraud-detection/\\d+$`,
      ),
    );
    expect(stateOf(promoted, 'central-approval')?.state).toBe('pending');
    const centralPackages = (
      await shared.send(
        new ListModelPackagesCommand({
          ModelPackageGroupName: 'fraud-detection',
        }),
      )
    ).ModelPackageSummaryList!;
    expect(
      centralPackages.filter(p => p.ModelPackageArn === centralArn),
    ).toHaveLength(1);
    expect(await cardVersions()).toBe(cardsBefore! + 1);
    const card = await shared.send(
      new DescribeModelCardCommand({ ModelCardName: 'fraud-detection' }),
    );
    expect(
      JSON.parse(card.Content!).additional_information.custom_details,
    ).toMatchObject({ source_model_package_arn: DEV_V3 });

    // The lead data scientist may not approve in the central registry.
    const twoGates = await centralApproval('leo.lead', centralArn, 'ok');
    expect(twoGates.status).toBe(403);

    // The ML engineer approves in the central registry; the deploy pipeline's rule starts it on that state change.
    const central = await centralApproval(
      'mo.engineer',
      centralArn,
      'Promotion checks passed',
    );
    expectApproved(central, 'central-approval', 'mo.engineer');
    const codepipeline = new CodePipelineClient(
      sandboxRootClientConfig(sandbox, SHARED),
    );
    const runs = await until('the run the approval started', async () => {
      const { pipelineExecutionSummaries = [] } = await codepipeline.send(
        new ListPipelineExecutionsCommand({
          pipelineName: 'fraud-detection-deploy',
        }),
      );
      return pipelineExecutionSummaries.length
        ? pipelineExecutionSummaries
        : undefined;
    });
    // Started once, by EventBridge: Backstage does not start it a second time.
    expect(runs.map(r => r.trigger)).toEqual([
      {
        triggerType: 'CloudWatchEvent',
        triggerDetail: `arn:aws:events:us-east-1:${SHARED}:rule/fraud-detection-deploy-on-approval`,
      },
    ]);

    // The pipeline builds the version's endpoint template, deploys it to test, tests it, then waits for the governance officer.
    const waiting = await until('the governance gate', async () => {
      const gates = await gatesOf(centralArn);
      return stateOf(gates, 'governance-approval')?.state === 'pending'
        ? gates
        : undefined;
    });
    expect(stateOf(waiting, 'test-deploy')).toMatchObject({ state: 'done' });
    // The card kept the Approved status of the version before: promotion wrote v3 into it, nobody has reviewed that yet.
    expect(waiting.checklist?.[0]).toEqual({
      id: 'model-card',
      ok: false,
      evidence: expect.stringMatching(
        /^model card fraud-detection v\d+ \(describing v3\) carries an earlier version's Approved status/,
      ),
    });
    // The governance officer reviews the card in SageMaker and approves it.
    await shared.send(
      new UpdateModelCardCommand({
        ModelCardName: 'fraud-detection',
        ModelCardStatus: 'Approved',
      }),
    );
    const reviewed = await until(
      'the reviewed card on the checklist',
      async () => {
        const gates = await gatesOf(centralArn);
        return gates.checklist?.[0].ok ? gates : undefined;
      },
    );
    expect(reviewed.checklist).toEqual([
      {
        id: 'model-card',
        ok: true,
        evidence: expect.stringMatching(
          /^model card fraud-detection v\d+ \(describing v3\) is Approved$/,
        ),
      },
      // Read from the evaluation report promotion copied, not from the registrant's metadata.
      {
        id: 'metrics',
        ok: true,
        evidence: expect.stringMatching(/^auc 0\.\d+ \(at least 0\.9\)$/),
      },
      {
        id: 'bias-report',
        ok: true,
        evidence:
          's3://ml-shared-artifacts-111111111111/fraud-detection/222222222222/v3/sagemaker-us-east-1-222222222222/fraud-detection/v3/bias.json',
      },
      {
        id: 'container-environment',
        ok: true,
        evidence: 'no container sets environment variables',
      },
      {
        id: 'endpoint-access',
        ok: false,
        evidence: 'the officer confirms who can invoke the endpoint',
      },
    ]);

    // The officer must confirm the endpoint access review (or override in writing).
    const unchecked = await governanceApproval(
      'grace.governance',
      centralArn,
      'fine',
    );
    expect(unchecked.status).toBe(409);
    expect(unchecked.body.error.message).toContain('endpoint-access');
    const engineer = await governanceApproval(
      'mo.engineer',
      centralArn,
      'fine',
      { accessReviewed: true },
    );
    expect(engineer.status).toBe(403);
    const governed = await governanceApproval(
      'grace.governance',
      centralArn,
      'Card, metrics, bias and access reviewed',
      { accessReviewed: true },
    );
    expect(governed.status).toBe(200);

    // Prod: the endpoint serves the new version, InService.
    const done = await until('the prod endpoint', async () => {
      const gates = await gatesOf(DEV_V3);
      return stateOf(gates, 'prod-deploy')?.state === 'done'
        ? gates
        : undefined;
    });
    expect(done.gates.map(g => [g.gate, g.state])).toEqual([
      ['dev-approval', 'approved'],
      ['promotion', 'done'],
      ['central-approval', 'approved'],
      ['test-deploy', 'done'],
      ['governance-approval', 'approved'],
      ['prod-deploy', 'done'],
    ]);
    expect(stateOf(done, 'governance-approval')).toMatchObject({
      actor: 'user:default/grace.governance',
    });
    const version = (
      await request(server)
        .get('/api/ml-registry/versions/by-arn')
        .query({ arn: centralArn })
        .set(asUser('grace.governance'))
    ).body;
    expect(version.deployments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          stage: 'prod',
          endpointName: 'fraud-detection-prod',
          status: 'InService',
          modelPackageArn: centralArn,
        }),
      ]),
    );

    // Each gate's approvers were told when the version reached it; once decided, that notification says who decided.
    const inbox = async (user: string) =>
      (
        (
          await request(server)
            .get('/api/notifications/notifications')
            .set(asUser(user))
        ).body.notifications ?? []
      ).map((n: any) => n.payload.title);
    const centralVersion = centralArn.split('/').pop();
    expect(await inbox('mo.engineer')).toContain(
      `fraud-detection v${centralVersion} approved by mo.engineer (central approval)`,
    );
    expect(await inbox('grace.governance')).toContain(
      'fraud-detection-deploy: governance approved by grace.governance',
    );
    expect(await inbox('dana.scientist')).toEqual([]);

    // The audit log holds every step, refusals included.
    expect(done.audit.map(a => [a.actor, a.action, a.gate, a.result])).toEqual([
      ['user:default/dana.scientist', 'approve', 'dev-approval', 'denied'],
      ['user:default/leo.lead', 'approve', 'dev-approval', 'ok'],
      ['user:default/sam.both', 'approve', 'dev-approval', 'conflict'],
      ['plugin:ml-registry', 'promote', 'promotion', 'ok'],
      ['user:default/leo.lead', 'approve', 'central-approval', 'denied'],
      ['user:default/mo.engineer', 'approve', 'central-approval', 'ok'],
      [
        'user:default/grace.governance',
        'approve',
        'governance-approval',
        'conflict',
      ],
      ['user:default/mo.engineer', 'approve', 'governance-approval', 'denied'],
      ['user:default/grace.governance', 'approve', 'governance-approval', 'ok'],
    ]);
  }, 90_000);

  it('tells the approvers of a burst of new versions once per model, naming the newest', async () => {
    const sagemaker = new SageMakerClient(
      sandboxRootClientConfig(sandbox, DEV),
    );
    await sagemaker.send(
      new CreateModelPackageGroupCommand({
        ModelPackageGroupName: 'burst-model',
      }),
    );
    for (let i = 0; i < 30; i++) {
      await sagemaker.send(
        new CreateModelPackageCommand({
          ModelPackageGroupName: 'burst-model',
          ModelApprovalStatus: 'PendingManualApproval',
        }),
      );
    }
    const burst = async () =>
      (
        (
          await request(server)
            .get('/api/notifications/notifications')
            .set(asUser('leo.lead'))
        ).body.notifications ?? []
      ).filter((n: any) => n.payload.title.startsWith('burst-model'));
    // However the events were batched into syncs, the last one names v30, in the one notification of the model.
    const [notification, ...more] = await until(
      'the burst notification to name v30',
      async () => {
        const found = await burst();
        return found.some((n: any) => /v30\b/.test(n.payload.title))
          ? found
          : undefined;
      },
    );
    expect(more).toEqual([]);
    expect(notification.payload).toMatchObject({
      topic: 'ml-registry',
      link: '/catalog/default/resource/fraud-dev--burst-model/model',
    });
    expect(notification.read).toBeFalsy();
  });

  it('keeps one person from approving two gates of one version', async () => {
    const churnV2 =
      'arn:aws:sagemaker:us-east-1:222222222223:model-package/churn-prediction/2';
    // sam is both a lead data scientist and an ML engineer.
    expect((await devApproval('sam.both', churnV2, 'good lift')).status).toBe(
      200,
    );
    const promoted = await until('the promotion', async () => {
      const gates = await gatesOf(churnV2);
      return gates.centralArn ? gates : undefined;
    });
    const second = await centralApproval(
      'sam.both',
      promoted.centralArn!,
      'also me',
    );
    expect(second.status).toBe(403);
    expect(second.body.error.message).toBe(
      'Separation of duties: user:default/sam.both already approved dev-approval of this version',
    );
  }, 60_000);

  it('lets one of two simultaneous approvals win, takes console decisions and rejections, and retries a failed promotion', async () => {
    const dev = new SageMakerClient(sandboxRootClientConfig(sandbox, DEV));
    const register = async () =>
      (
        await dev.send(
          new CreateModelPackageCommand({
            ModelPackageGroupName: 'fraud-detection',
            ModelApprovalStatus: 'PendingManualApproval',
            CustomerMetadataProperties: { auc: '0.94' },
          }),
        )
      ).ModelPackageArn!;
    const synced = (arn: string) => untilStored(server, arn, 'leo.lead');

    // Two leads approve the same version at the same moment: one wins, the other gets 409.
    const raced = await register();
    await synced(raced);
    const [a, b] = await Promise.all([
      devApproval('leo.lead', raced, 'first'),
      devApproval('sam.both', raced, 'second'),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect([a, b].find(r => r.status === 409)!.body.error.message).toMatch(
      /already (decided|Approved)/,
    );

    // A rejection stops the version there, visibly.
    const rejected = await register();
    await synced(rejected);
    const no = await devApproval(
      'leo.lead',
      rejected,
      'Bias report shows drift',
      { decision: 'reject' },
    );
    expect(no.status).toBe(200);
    expect(no.body.gates.slice(0, 2)).toEqual([
      expect.objectContaining({
        gate: 'dev-approval',
        state: 'rejected',
        actor: 'user:default/leo.lead',
        reason: 'Bias report shows drift',
      }),
      { gate: 'promotion', state: 'waiting' },
    ]);

    // A decision taken in the AWS console shows too, with the registry's description.
    const inConsole = await register();
    await synced(inConsole);
    await dev.send(
      new UpdateModelPackageCommand({
        ModelPackageArn: inConsole,
        ModelApprovalStatus: 'Approved',
        ApprovalDescription: 'approved in the console',
      }),
    );
    const fromConsole = await until('the console approval', async () => {
      const gates = await gatesOf(inConsole);
      return gates.gates[0].state === 'approved' ? gates : undefined;
    });
    expect(fromConsole.gates[0]).toMatchObject({
      state: 'approved',
      reason: 'approved in the console',
    });
    expect(fromConsole.gates[0].actor).toBeUndefined();

    // A promotion that fails (the central registry refuses) is shown failed, and retried on request.
    const failing = await register();
    await synced(failing);
    sandbox.setFaults([
      { account: SHARED, operation: 'CreateModelPackage', accessDenied: true },
    ]);
    await devApproval('leo.lead', failing, 'good');
    const failed = await until('the failed promotion', async () => {
      const gates = await gatesOf(failing);
      return gates.gates[1].state === 'failed' ? gates : undefined;
    });
    expect(failed.gates[1].reason).toContain('at step package');
    sandbox.setFaults([]);
    const refused = await request(server)
      .post('/api/ml-registry/gates/retries')
      .set(asUser('dana.scientist'))
      .send({ arn: failing });
    expect(refused.status).toBe(403);
    const retried = await request(server)
      .post('/api/ml-registry/gates/retries')
      .set(asUser('leo.lead'))
      .send({ arn: failing });
    expect(retried.status).toBe(200);
    expect(retried.body.gates[1]).toMatchObject({
      gate: 'promotion',
      state: 'done',
    });
    expect(retried.body.audit.map((e: any) => [e.action, e.result])).toEqual([
      ['approve', 'ok'],
      ['promote', 'failed'],
      ['retry', 'ok'],
      ['promote', 'ok'],
    ]);

    // The governance officer may approve against the checklist only with a written override.
    const churn = `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/churn-prediction/1`;
    const pending = await until('churn at the governance gate', async () => {
      const gates = await gatesOf(churn);
      return stateOf(gates, 'governance-approval')?.state === 'pending'
        ? gates
        : undefined;
    });
    expect(pending.checklist?.find(i => i.id === 'endpoint-access')?.ok).toBe(
      false,
    );
    const overridden = await governanceApproval(
      'grace.governance',
      churn,
      'Release needed for the quarter close',
      { override: 'Access review scheduled with the security team this week' },
    );
    expect(overridden.status).toBe(200);
    expect(overridden.body.audit.at(-1)).toMatchObject({
      actor: 'user:default/grace.governance',
      gate: 'governance-approval',
      result: 'ok',
      detail: {
        override: 'Access review scheduled with the security team this week',
      },
    });
  }, 60_000);

  it("shows a failed deployment on the test gate, and the ML engineer's retry starts the pipeline again", async () => {
    const central = new SageMakerClient(
      sandboxRootClientConfig(sandbox, SHARED),
    );
    const { ModelPackageArn: arn } = await central.send(
      new CreateModelPackageCommand({
        ModelPackageGroupName: 'fraud-detection',
        ModelApprovalStatus: 'PendingManualApproval',
        CustomerMetadataProperties: {
          'source-model-package-arn': DEV_V3,
          auc: '0.95',
        },
        InferenceSpecification: xgboostInference(
          `s3://ml-shared-artifacts-${SHARED}/fraud-detection/retry/model.tar.gz`,
        ),
      }),
    );
    // Approved in the console; the pipeline's build cannot read the registry, so the run fails before the test deployment.
    sandbox.setFaults([
      { account: SHARED, operation: 'ListModelPackages', accessDenied: true },
    ]);
    await central.send(
      new UpdateModelPackageCommand({
        ModelPackageArn: arn,
        ModelApprovalStatus: 'Approved',
      }),
    );
    const failed = await until('the failed test deployment', async () => {
      const gates = await gatesOf(arn!);
      return stateOf(gates, 'test-deploy')?.state === 'failed'
        ? gates
        : undefined;
    });
    expect(stateOf(failed, 'test-deploy')).toMatchObject({
      gate: 'test-deploy',
      state: 'failed',
      reason: 'Build failed',
      deploy: { stageName: 'Build', status: 'Failed' },
    });
    expect(stateOf(failed, 'prod-deploy')?.state).toBe('waiting');
    sandbox.setFaults([]);

    const retried = await request(server)
      .post('/api/ml-registry/gates/retries')
      .set(asUser('mo.engineer'))
      .send({ arn });
    expect(retried.status).toBe(200);
    await until(
      'the retried run at the governance gate',
      async () =>
        stateOf(await gatesOf(arn!), 'governance-approval')?.state ===
          'pending' || undefined,
    );
    // The audit trail of the lineage, this central version's part.
    expect(
      (await gatesOf(arn!)).audit
        .filter(a => a.arn === arn)
        .map(a => [a.actor, a.action, a.gate, a.result, a.detail?.retry]),
    ).toEqual([
      ['user:default/mo.engineer', 'retry', 'test-deploy', 'ok', 'pipeline'],
    ]);
  }, 60_000);

  it("refuses to promote a version naming another team's artifacts, though its lead approved it: nothing copied, the reason on the gate", async () => {
    // The churn team's model, which the shared services role may read to promote it.
    const churnData = `s3://sagemaker-us-east-1-222222222223/churn-prediction/v1/model.tar.gz`;
    // The fraud data scientist registers, as their dev account, a version whose model data is the churn team's.
    const dev = new SageMakerClient(sandboxRootClientConfig(sandbox, DEV));
    const { ModelPackageArn: arn } = await dev.send(
      new CreateModelPackageCommand({
        ModelPackageGroupName: 'fraud-detection',
        ModelApprovalStatus: 'PendingManualApproval',
        CustomerMetadataProperties: { auc: '0.97' },
        InferenceSpecification: xgboostInference(churnData),
      }),
    );
    await untilStored(server, arn!, 'leo.lead');
    const central = new SageMakerClient(
      sandboxRootClientConfig(sandbox, SHARED),
    );
    const centralVersions = async () =>
      (
        await central.send(
          new ListModelPackagesCommand({
            ModelPackageGroupName: 'fraud-detection',
          }),
        )
      ).ModelPackageSummaryList!.length;
    const before = await centralVersions();

    expect((await devApproval('leo.lead', arn!, 'AUC 0.97')).status).toBe(200);
    const refused = await until('the refused promotion', async () => {
      const gates = await gatesOf(arn!);
      return stateOf(gates, 'promotion')?.state === 'failed'
        ? gates
        : undefined;
    });
    expect(stateOf(refused, 'promotion')?.reason).toBe(
      `PromotionRefused at step check: ${churnData} is outside fraud-dev's artifact locations (s3://sagemaker-us-east-1-${DEV}/; mlRegistry.accounts[].artifactBuckets)`,
    );
    expect(
      refused.audit.filter(a => a.action === 'promote').map(a => a.result),
    ).toEqual(['denied']);
    expect(await centralVersions()).toBe(before);
    const copied = Object.keys(
      sandbox.core.state.buckets[`ml-shared-artifacts-${SHARED}`].objects,
    );
    expect(
      copied.filter(key =>
        key.startsWith(`fraud-detection/${DEV}/v${arn!.split('/').pop()}/`),
      ),
    ).toEqual([]);
  }, 60_000);

  it('rejects hostile input before anything reaches AWS or the audit log', async () => {
    sandbox.core.resetCounters();
    const cases: [object, number, RegExp][] = [
      [
        {
          arn: 'arn:aws:sagemaker:us-east-1:999999999999:model-package/fraud-detection/1',
          gate: 'dev-approval',
          decision: 'approve',
          reason: 'x',
        },
        404,
        /account 999999999999 is not one of the accounts configured/,
      ],
      [
        {
          arn: `arn:aws:sagemaker:us-east-1:${DEV}:model-package/../../etc/1`,
          gate: 'dev-approval',
          decision: 'approve',
          reason: 'x',
        },
        400,
        /request\/body\/arn must match pattern/,
      ],
      [
        {
          arn: `arn:aws:sagemaker:us-east-1:${DEV}:model-package/fraud%2Fdetection/1`,
          gate: 'dev-approval',
          decision: 'approve',
          reason: 'x',
        },
        400,
        /request\/body\/arn must match pattern/,
      ],
      [
        {
          arn: DEV_V3,
          gate: 'dev-approval',
          decision: 'approve',
          reason: 'x'.repeat(1024 * 1024),
        },
        413,
        /over 65536 bytes/,
      ],
      [
        {
          arn: DEV_V3,
          gate: 'dev-approval',
          decision: 'approve',
          reason: 'x'.repeat(2000),
        },
        400,
        /request\/body\/reason must NOT have more than 900 characters/,
      ],
      [
        { arn: DEV_V3, gate: 'prod', decision: 'approve', reason: 'x' },
        400,
        /request\/body\/gate must be equal to one of the allowed values/,
      ],
      [
        {
          arn: DEV_V3,
          gate: 'dev-approval',
          decision: 'approve',
          reason: 'x',
          admin: true,
        },
        400,
        /must NOT have additional properties/,
      ],
    ];
    for (const [body, status, message] of cases) {
      const res = await decide('leo.lead', body);
      expect([res.status, res.body.error?.message]).toEqual([
        status,
        expect.stringMatching(message),
      ]);
    }
    expect(
      Object.keys(sandbox.counters()).filter(k =>
        /Update|PutApproval|Create/.test(k),
      ),
    ).toEqual([]);
    const audit = (await gatesOf(DEV_V3)).audit;
    expect(
      audit.filter(
        a => a.reason?.startsWith('xxx') || a.arn.includes('999999999999'),
      ),
    ).toEqual([]);
  });
});
