import {
  CodePipelineClient,
  GetPipelineCommand,
  UpdatePipelineCommand,
} from '@aws-sdk/client-codepipeline';
import {
  CreateModelPackageCommand,
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { Sandbox, startSdkSandbox } from '@ml-governance/aws-sandbox';
import {
  GateState,
  VersionGates,
} from '@ml-governance/plugin-ml-registry-common';
import { until as waitUntil } from '@ml-governance/test-utils';
import request from 'supertest';
import { Server } from 'node:http';
import { asUser, readGates, untilStored } from '../__testUtils__/gateApi';
import { startGateBackend } from '../__testUtils__/gateBackend';
import { sharedServicesClients } from '../__testUtils__/sharedServicesClients';
import { xgboostInference } from '../__testUtils__/modelPackages';

const SHARED = '111111111111';
const DEV_V3 =
  'arn:aws:sagemaker:us-east-1:222222222222:model-package/fraud-detection/3';
const PIPELINE = 'fraud-detection-deploy';
const RULE = `${PIPELINE}-on-approval`;

/**
 * A deploy that fails, stalls or never starts shows on its gate with what AWS
 * reports and what to check, and the ML engineer retries it from there: the
 * failed stage's failed actions, or the pipeline again. Each run is started as
 * AWS starts it, by the pipeline's rule on the console's central approval.
 */
describe('a deploy that does not move', () => {
  let sandbox: Sandbox;
  let server: Server;
  let sagemaker: SageMakerClient;
  let codepipeline: CodePipelineClient;
  const gatesOf = (arn: string) => readGates(server, arn, 'mo.engineer');
  const stateOf = (gates: VersionGates, gate: GateState['gate']) =>
    gates.gates?.find(g => g.gate === gate);
  const retry = (user: string, body: object) =>
    request(server)
      .post('/api/ml-registry/gates/retries')
      .set(asUser(user))
      .send(body);
  const until = <T>(
    what: string,
    probe: () => Promise<T | undefined | false>,
    timeoutMs = 45_000,
  ) => waitUntil(what, probe, timeoutMs);
  const gateReaches = (
    arn: string,
    gate: GateState['gate'],
    state: GateState['state'],
  ) =>
    until(`${gate} ${state}`, async () => {
      const gates = await gatesOf(arn);
      return stateOf(gates, gate)?.state === state ? gates : undefined;
    });
  const retryCalls = () =>
    Object.entries(sandbox.counters())
      .filter(
        ([k]) =>
          k === 'codepipeline:RetryStageExecution' ||
          k === 'codepipeline:StartPipelineExecution',
      )
      .map(([k, v]) => [k, v[SHARED]]);
  /** A central version of the fraud model, approved in the console: the pipeline's rule starts the deploy. */
  async function approvedVersion(): Promise<string> {
    const { ModelPackageArn: arn } = await sagemaker.send(
      new CreateModelPackageCommand({
        ModelPackageGroupName: 'fraud-detection',
        ModelApprovalStatus: 'PendingManualApproval',
        CustomerMetadataProperties: {
          'source-model-package-arn': DEV_V3,
          auc: '0.95',
        },
        InferenceSpecification: xgboostInference(
          `s3://ml-shared-artifacts-${SHARED}/fraud-detection/stuck/model.tar.gz`,
        ),
      }),
    );
    await untilStored(server, arn!, 'mo.engineer', 45_000);
    await sagemaker.send(
      new UpdateModelPackageCommand({
        ModelPackageArn: arn,
        ModelApprovalStatus: 'Approved',
      }),
    );
    return arn!;
  }

  beforeAll(async () => {
    sandbox = await startSdkSandbox({ stepMs: 20, defaultCredentials: true });
    ({ sagemaker, codepipeline } = sharedServicesClients(sandbox));
    server = await startGateBackend({
      sandbox,
      // The approvers' groups come from the example organisation, through the catalog.
      catalog: true,
      gates: {
        deploy: {
          stalledAfter: { seconds: 3 },
          notStartedAfter: { seconds: 3 },
        },
      },
    });
  }, 60_000);

  afterAll(() => sandbox.close());

  afterEach(() => sandbox.setFaults([]));

  it("shows a failed build with its error, refuses the retry to those not permitted, and the ML engineer's retry of the failed actions proceeds", async () => {
    // The build cannot read the registry: the Build stage fails before the test deployment.
    sandbox.setFaults([
      { account: SHARED, operation: 'ListModelPackages', accessDenied: true },
    ]);
    const arn = await approvedVersion();
    const failed = await gateReaches(arn, 'test-deploy', 'failed');
    const trouble = stateOf(failed, 'test-deploy')!;
    expect(trouble).toMatchObject({
      reason: 'Build failed',
      deploy: {
        pipelineName: PIPELINE,
        stageName: 'Build',
        status: 'Failed',
        retries: ['failed-actions', 'pipeline'],
        errorDetails: {
          code: 'JobFailed',
          message: expect.stringMatching(/Build terminated with state: FAILED/),
        },
        consoleUrl: `https://us-east-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/${PIPELINE}/executions/${
          trouble.deploy!.executionId
        }/timeline?region=us-east-1`,
        check: expect.stringMatching(
          /^Build\/\S+ failed: .*retry the failed actions or start the pipeline again\.$/,
        ),
      },
    });
    sandbox.setFaults([]);

    // A data scientist may not retry: refused, nothing sent to CodePipeline, the refusal audited nowhere else.
    sandbox.core.resetCounters();
    const refused = await retry('dana.scientist', {
      arn,
      retry: 'failed-actions',
    });
    expect([refused.status, refused.body.error?.message]).toEqual([
      403,
      expect.stringMatching(/may not retry/),
    ]);
    expect(retryCalls()).toEqual([]);
    // A retry the API does not know is refused before anything happens.
    expect(
      (await retry('mo.engineer', { arn, retry: 'everything' })).status,
    ).toBe(400);
    const promotionRetry = await retry('leo.lead', {
      arn: DEV_V3,
      retry: 'failed-actions',
    });
    expect([promotionRetry.status, promotionRetry.body.error?.message]).toEqual(
      [
        400,
        expect.stringMatching(
          /^retry: failed-actions retries a deployment; .* is a dev version/,
        ),
      ],
    );

    const retried = await retry('mo.engineer', {
      arn,
      retry: 'failed-actions',
    });
    expect(retried.status).toBe(200);
    expect(retryCalls()).toEqual([['codepipeline:RetryStageExecution', 1]]);
    await gateReaches(arn, 'governance-approval', 'pending');
    expect(
      (await gatesOf(arn)).audit.filter(
        a => a.arn === arn && a.action === 'retry',
      ),
    ).toEqual([
      expect.objectContaining({
        actor: 'user:default/mo.engineer',
        gate: 'test-deploy',
        result: 'ok',
        detail: expect.objectContaining({
          retry: 'failed-actions',
          pipelineName: PIPELINE,
          stageName: 'Build',
        }),
      }),
    ]);
  }, 120_000);

  it("answers CodePipeline's refusal of a retry with a 409 naming it, and starting the pipeline again still works", async () => {
    sandbox.setFaults([
      { account: SHARED, operation: 'ListModelPackages', accessDenied: true },
    ]);
    const arn = await approvedVersion();
    await gateReaches(arn, 'test-deploy', 'failed');
    sandbox.setFaults([]);
    // The platform engineer updates the pipeline meanwhile: CodePipeline no longer retries the old execution's stage.
    const { pipeline } = await codepipeline.send(
      new GetPipelineCommand({ name: PIPELINE }),
    );
    await codepipeline.send(new UpdatePipelineCommand({ pipeline }));

    const refused = await retry('mo.engineer', {
      arn,
      retry: 'failed-actions',
    });
    expect([refused.status, refused.body.error?.message]).toEqual([
      409,
      expect.stringMatching(
        /^CodePipeline refused to retry fraud-detection-deploy stage Build: StageNotRetryableException: /,
      ),
    ]);
    expect(stateOf(await gatesOf(arn), 'test-deploy')?.state).toBe('failed');

    expect(
      (await retry('mo.engineer', { arn, retry: 'pipeline' })).status,
    ).toBe(200);
    await gateReaches(arn, 'governance-approval', 'pending');
    expect(
      (await gatesOf(arn)).audit
        .filter(a => a.arn === arn && a.action === 'retry')
        .map(a => [a.result, a.detail?.retry]),
    ).toEqual([
      ['failed', 'failed-actions'],
      ['ok', 'pipeline'],
    ]);
  }, 120_000);

  it('shows a build that does not progress as stalled, with how long and what to check, until it moves', async () => {
    // The build's registry read is answered late: its action stays InProgress past stalledAfter.
    sandbox.setFaults([
      { account: SHARED, operation: 'ListModelPackages', latencyMs: 12_000 },
    ]);
    const arn = await approvedVersion();
    const stalled = await gateReaches(arn, 'test-deploy', 'stalled');
    const { deploy } = stateOf(stalled, 'test-deploy')!;
    expect(deploy).toMatchObject({
      pipelineName: PIPELINE,
      stageName: 'Build',
      status: 'InProgress',
      retries: ['pipeline'],
    });
    expect(deploy!.stuckForSeconds).toBeGreaterThanOrEqual(3);
    expect(deploy!.check).toMatch(
      /^Build\/\S+ has been InProgress for \d+ s without a change: check /,
    );
    // Nothing failed: there are no failed actions to retry.
    const refused = await retry('mo.engineer', {
      arn,
      retry: 'failed-actions',
    });
    expect([refused.status, refused.body.error?.message]).toEqual([
      409,
      'retry: a stalled deployment can retry pipeline, not failed-actions',
    ]);
    sandbox.setFaults([]);
    await gateReaches(arn, 'governance-approval', 'pending');
  }, 120_000);

  it('shows a version whose pipeline never started as not started, naming the rule, and the ML engineer starts it', async () => {
    // The rule is disabled (maintenance, or the event never came): set in the sandbox's state, this backend has no EventBridge client.
    sandbox.core.state.accounts[SHARED].rules[RULE].state = 'DISABLED';
    try {
      const arn = await approvedVersion();
      const notStarted = await gateReaches(arn, 'test-deploy', 'not-started');
      expect(stateOf(notStarted, 'test-deploy')).toMatchObject({
        reason: `${PIPELINE} not started`,
        deploy: {
          pipelineName: PIPELINE,
          rule: RULE,
          retries: ['pipeline'],
          check: expect.stringMatching(
            new RegExp(`the EventBridge rule ${RULE} .* is ENABLED`),
          ),
        },
      });
      const retried = await retry('mo.engineer', { arn });
      expect(retried.status).toBe(200);
      await gateReaches(arn, 'governance-approval', 'pending');
    } finally {
      sandbox.core.state.accounts[SHARED].rules[RULE].state = 'ENABLED';
    }
  }, 120_000);
});
