import {
  CodePipelineClient,
  GetPipelineStateCommand,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import {
  CreateModelPackageCommand,
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { Sandbox, startSdkSandbox } from '@ml-governance/aws-sandbox';
import {
  exampleOrgUserInfoFactory,
  until as waitUntil,
} from '@ml-governance/test-utils';
import request from 'supertest';
import { Server } from 'node:http';
import { asUser, readGates } from '../__testUtils__/gateApi';
import { startGateBackend } from '../__testUtils__/gateBackend';
import { sharedServicesClients } from '../__testUtils__/sharedServicesClients';
import { xgboostInference } from '../__testUtils__/modelPackages';

const SHARED = '111111111111';
const PIPELINE = 'fraud-detection-deploy';
const CENTRAL_V2 = `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/fraud-detection/2`;

/**
 * The governance officer's approval sends to production what the waiting
 * execution's build resolved. Deciding one version while the execution deploys
 * another is refused, with nothing changed in AWS, whichever way the registry
 * moved since the run started.
 */
describe('the governance approval of a version', () => {
  let sandbox: Sandbox;
  let server: Server;
  let sagemaker: SageMakerClient;
  let codepipeline: CodePipelineClient;
  const gatesOf = (arn: string) => readGates(server, arn);
  // These hand-made versions have no card or reports: the officer overrides the checklist, which leaves only the version to check.
  const decide = (
    arn: string,
    {
      officer = 'grace.governance',
      override = 'No card or reports for this hand-made version; its evidence was reviewed by hand',
    } = {},
  ) =>
    request(server)
      .post('/api/ml-registry/gates/decisions')
      .set(asUser(officer))
      .send({
        arn,
        gate: 'governance-approval',
        decision: 'approve',
        reason: 'Card, metrics, bias report and access reviewed',
        accessReviewed: true,
        override,
      });
  const until = <T>(
    what: string,
    probe: () => Promise<T | undefined | false>,
    timeoutMs = 30_000,
  ) => waitUntil(what, probe, timeoutMs);
  const approval = async () => {
    const { stageStates = [] } = await codepipeline.send(
      new GetPipelineStateCommand({ name: PIPELINE }),
    );
    const stage = stageStates.find(s => s.stageName === 'GovernanceApproval');
    return {
      execution: stage?.latestExecution?.pipelineExecutionId,
      ...stage?.actionStates?.[0].latestExecution,
    };
  };
  const statusOf = async (arn: string) =>
    (
      await request(server)
        .get('/api/ml-registry/versions/by-arn')
        .query({ arn })
        .set(asUser('grace.governance'))
    ).body.version?.approvalStatus;
  /** Sets a central version's status as the console does; the store follows through the events path. */
  const setStatus = async (
    arn: string,
    status: 'Approved' | 'PendingManualApproval',
  ) => {
    await sagemaker.send(
      new UpdateModelPackageCommand({
        ModelPackageArn: arn,
        ModelApprovalStatus: status,
      }),
    );
    await until(
      `${arn} ${status} in the store`,
      async () => (await statusOf(arn)) === status,
    );
  };
  const runWaiting = async () => {
    const { pipelineExecutionId } = await codepipeline.send(
      new StartPipelineExecutionCommand({ name: PIPELINE }),
    );
    await until('the run at the governance gate', async () => {
      const waiting = await approval();
      return (
        waiting.execution === pipelineExecutionId &&
        waiting.status === 'InProgress'
      );
    });
    return pipelineExecutionId!;
  };

  beforeAll(async () => {
    sandbox = await startSdkSandbox({ stepMs: 20, defaultCredentials: true });
    ({ sagemaker, codepipeline } = sharedServicesClients(sandbox));
    server = await startGateBackend({
      sandbox,
      // The gate notifications reach the example organisation's groups through the catalog.
      catalog: true,
      notifications: true,
      // A second governance officer, to confirm overrides.
      userInfo: exampleOrgUserInfoFactory({
        'otto.officer': ['governance-officers'],
      }),
      gates: {
        governance: { overrideMinLength: 40, overrideNeedsSecondOfficer: true },
      },
    });
    await until(
      'the first sync',
      async () => (await statusOf(CENTRAL_V2)) === 'PendingManualApproval',
    );
    // The pipeline's rule would start a run on each central approval; with it disabled (maintenance, or an event
    // that never came) the registry moves while a run waits, and runs start only when someone starts them.
    // Set in the sandbox's state: this backend has no EventBridge client, and the rule is the scene, not the attack.
    sandbox.core.state.accounts[SHARED].rules[`${PIPELINE}-on-approval`].state =
      'DISABLED';
  }, 60_000);

  afterAll(() => sandbox.close());

  it('is refused, naming both versions, when the waiting execution deploys another one', async () => {
    const register = async () =>
      (
        await sagemaker.send(
          new CreateModelPackageCommand({
            ModelPackageGroupName: 'fraud-detection',
            ModelApprovalStatus: 'PendingManualApproval',
            InferenceSpecification: xgboostInference(
              `s3://ml-shared-artifacts-${SHARED}/fraud-detection/hand-made/model.tar.gz`,
            ),
          }),
        )
      ).ModelPackageArn!;
    const v3 = await register();
    await setStatus(v3, 'Approved');
    const first = await runWaiting();
    const v4 = await register();

    // v4 approved after v3's run resolved v3: deciding v4 would send v3 to production.
    await setStatus(v4, 'Approved');
    const waitingForV3 = await approval();
    const notV4 = await decide(v4);
    expect(notV4.status).toBe(409);
    expect(notV4.body.error.message).toBe(
      `${v4} is not what the ${PIPELINE} pipeline deploys: its execution ${first} deploys ${v3}. Decide that version, or start the pipeline again for this one.`,
    );
    expect(await approval()).toEqual(waitingForV3);
    expect(waitingForV3).toMatchObject({
      execution: first,
      status: 'InProgress',
    });

    // A run for v4 waits; v4 then goes back to pending, so v3 is the newest approved: deciding v3 would send v4 to production.
    const second = await runWaiting();
    await setStatus(v4, 'PendingManualApproval');
    const waitingForV4 = await approval();
    const notV3 = await decide(v3);
    expect(notV3.status).toBe(409);
    expect(notV3.body.error.message).toContain(
      `its execution ${second} deploys ${v4}`,
    );
    expect(await approval()).toEqual(waitingForV4);
    expect(waitingForV4).toMatchObject({
      execution: second,
      status: 'InProgress',
    });

    // The version the execution deploys is decided: an override with a real reason, confirmed by a second officer, goes through.
    await setStatus(v4, 'Approved');
    const terse = await decide(v4, { override: 'looks fine' });
    expect([terse.status, terse.body.error.message]).toEqual([
      400,
      'override: approving against the checklist (model-card, bias-report) needs a written reason of at least 40 characters; this one has 10',
    ]);
    const firstOfTwo = await decide(v4);
    expect(firstOfTwo.status).toBe(200);
    expect(await approval()).toEqual(waitingForV4);
    const again = await decide(v4);
    expect([again.status, again.body.error.message]).toEqual([
      403,
      `user:default/grace.governance overrode the checklist of ${v4} first: a second, different governance officer confirms the override`,
    ]);
    const confirmed = await decide(v4, { officer: 'otto.officer' });
    expect(confirmed.status).toBe(200);
    expect(await approval()).toMatchObject({
      execution: second,
      status: 'Succeeded',
    });
    expect(
      confirmed.body.audit
        .filter((a: any) => a.gate === 'governance-approval')
        .map((a: any) => [a.actor, a.arn, a.result]),
    ).toEqual([
      ['user:default/grace.governance', v4, 'conflict'],
      ['user:default/grace.governance', v4, 'ok'],
      ['user:default/grace.governance', v4, 'denied'],
      ['user:default/otto.officer', v4, 'ok'],
    ]);
    expect(
      (await gatesOf(v3)).audit
        .filter(a => a.gate === 'governance-approval')
        .map(a => [a.arn, a.result, a.detail?.deploys]),
    ).toEqual([[v3, 'conflict', v4]]);
  }, 120_000);
});
