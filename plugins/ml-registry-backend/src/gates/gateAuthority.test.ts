import {
  CreateModelPackageCommand,
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import {
  Sandbox,
  sandboxRootClientConfig,
  startSdkSandbox,
} from '@ml-governance/aws-sandbox';
import {
  AuditEntry,
  mlDevApprovalPermission,
  VersionGates,
} from '@ml-governance/plugin-ml-registry-common';
import { exampleOrgUserInfoFactory, until } from '@ml-governance/test-utils';
import request from 'supertest';
import { Server } from 'node:http';
import {
  asUser,
  readGates,
  untilFirstSync,
  untilStored,
} from '../__testUtils__/gateApi';
import { startGateBackend } from '../__testUtils__/gateBackend';

const SHARED = '111111111111';
const FRAUD = '222222222222';
const CHURN = '222222222223';

// chen, a data scientist of the churn team, also leads it here: the registrant who would approve their own version.
// fay is a second fraud lead, for the versions that need two approvers.
const userInfoFactory = exampleOrgUserInfoFactory({
  'chen.scientist': ['data-scientists', 'churn-ds', 'lead-data-scientists'],
  'fay.lead': ['lead-data-scientists', 'fraud-ds'],
});

/**
 * Who may decide a gate, attacked through the real backend (REST, the real
 * permission backend and policy, SQS events) against the sandbox: a lead of
 * another team, a registrant hiding behind metadata, an unknown registrant,
 * an approval made outside Backstage, and a crowd of readers.
 */
describe('who may decide a gate', () => {
  let sandbox: Sandbox;
  let server: Server;
  const gatesOf = (arn: string) => readGates(server, arn);
  const decide = (
    user: string,
    arn: string,
    reason = 'metrics hold on the holdout set',
  ) =>
    request(server)
      .post('/api/ml-registry/gates/decisions')
      .set(asUser(user))
      .send({ arn, gate: 'dev-approval', decision: 'approve', reason });
  const sagemaker = (account: string) =>
    new SageMakerClient(sandboxRootClientConfig(sandbox, account));
  const statusInAws = async (arn: string) =>
    (
      await sagemaker(arn.split(':')[4]).send(
        new DescribeModelPackageCommand({ ModelPackageName: arn }),
      )
    ).ModelApprovalStatus;
  /** Registers a version as the account's root user (what SageMaker then reports as its creator), and waits for it to sync. */
  async function register(
    account: string,
    group: string,
    metadata: Record<string, string> = {},
  ): Promise<string> {
    const { ModelPackageArn: arn } = await sagemaker(account).send(
      new CreateModelPackageCommand({
        ModelPackageGroupName: group,
        ModelApprovalStatus: 'PendingManualApproval',
        CustomerMetadataProperties: { auc: '0.94', ...metadata },
      }),
    );
    await untilStored(server, arn!, 'grace.governance');
    return arn!;
  }
  const devGate = (gates: VersionGates) =>
    gates.gates.find(g => g.gate === 'dev-approval')!;
  const audit = async (arn: string): Promise<AuditEntry[]> => {
    const items: AuditEntry[] = [];
    let cursor: string | undefined;
    do {
      const page = await request(server)
        .get('/api/ml-registry/audit')
        .query({ arn, limit: 2, ...(cursor ? { cursor } : {}) })
        .set(asUser('grace.governance'));
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  };

  /** A backend with these gate settings, synced once; with `events`, it takes the SQS queue (one backend at a time may). */
  async function startBackend(gates: object, options: { events: boolean }) {
    const started = await startGateBackend({
      sandbox,
      gates,
      events: options.events,
      userInfo: userInfoFactory,
    });
    await untilFirstSync(started);
    return started;
  }

  beforeAll(async () => {
    sandbox = await startSdkSandbox({ stepMs: 20, defaultCredentials: true });
    server = await startBackend(
      {
        // The churn account's root user is chen; nobody maps the fraud account's.
        identities: [
          {
            aws: `arn:aws:iam::${CHURN}:root`,
            user: 'user:default/chen.scientist',
          },
        ],
        // Approvals the fraud account's root user makes in the console are promoted; nobody else's.
        externalApprovers: [`arn:aws:iam::${FRAUD}:root`],
      },
      { events: true },
    );
  }, 60_000);

  afterAll(() => sandbox.close());

  it("lets a lead approve only their own team's dev versions", async () => {
    const churn = await register(CHURN, 'churn-prediction');
    const fraud = await register(FRAUD, 'fraud-detection');

    // The permission backend answers per version, as the gate cards ask it.
    const ask = async (user: string, arn: string) =>
      (
        await request(server)
          .post('/api/permission/authorize')
          .set(asUser(user))
          .send({
            items: [
              {
                id: '1',
                permission: mlDevApprovalPermission,
                resourceRef: arn,
              },
            ],
          })
      ).body.items[0].result;
    expect([
      await ask('leo.lead', fraud),
      await ask('leo.lead', churn),
    ]).toEqual(['ALLOW', 'DENY']);
    expect([
      await ask('lucia.lead', churn),
      await ask('lucia.lead', fraud),
    ]).toEqual(['ALLOW', 'DENY']);

    // Each lead's approval of the other team's version is refused, recorded, and changes nothing in AWS.
    for (const [user, arn, account] of [
      ['leo.lead', churn, 'churn-dev'],
      ['lucia.lead', fraud, 'fraud-dev'],
    ]) {
      const refused = await decide(user, arn);
      expect([refused.status, refused.body.error.message]).toEqual([
        403,
        `user:default/${user} may not decide dev-approval of ${arn}: ml-registry.gate.dev-approval is not allowed for them on versions of ${account}`,
      ]);
      expect(await statusInAws(arn)).toBe('PendingManualApproval');
      expect(
        (await audit(arn)).map(a => [a.actor, a.result, a.detail?.why]),
      ).toEqual([
        [
          `user:default/${user}`,
          'denied',
          `ml-registry.gate.dev-approval is not allowed on ${account}`,
        ],
      ]);
    }

    const own = await decide('lucia.lead', churn);
    expect(own.status).toBe(200);
    expect(devGate(own.body)).toMatchObject({
      state: 'approved',
      actor: 'user:default/lucia.lead',
    });
    expect(await statusInAws(churn)).toBe('Approved');
  }, 60_000);

  it('takes "registered by" from what SageMaker reports, never from metadata, and wants two approvers when it names nobody', async () => {
    // chen registers (as the churn root user, which is chen) and writes someone else's name in the metadata.
    const chens = await register(CHURN, 'churn-prediction', {
      'registered-by': 'user:default/lucia.lead',
    });
    const self = await decide('chen.scientist', chens);
    expect([self.status, self.body.error.message]).toEqual([
      403,
      `Separation of duties: user:default/chen.scientist registered this version (as arn:aws:iam::${CHURN}:root) and may not approve it`,
    ]);
    expect(await statusInAws(chens)).toBe('PendingManualApproval');

    // Nobody maps the fraud account's root user: the gate says so, and two different leads must approve.
    const unknown = await register(FRAUD, 'fraud-detection');
    expect(devGate(await gatesOf(unknown)).notice).toBe(
      `Registered by arn:aws:iam::${FRAUD}:root, which no Backstage user is mapped to: two different approvers must approve.`,
    );
    const first = await decide('leo.lead', unknown);
    expect(first.status).toBe(200);
    expect(devGate(first.body)).toMatchObject({
      state: 'pending',
      notice: expect.stringContaining(
        'approved first by user:default/leo.lead',
      ),
    });
    expect(await statusInAws(unknown)).toBe('PendingManualApproval');
    const again = await decide('leo.lead', unknown, 'still fine');
    expect([again.status, again.body.error.message]).toEqual([
      403,
      expect.stringContaining('a second, different approver must approve'),
    ]);
    expect(await statusInAws(unknown)).toBe('PendingManualApproval');
    const second = await decide('fay.lead', unknown);
    expect(second.status).toBe(200);
    expect(devGate(second.body)).toMatchObject({
      state: 'approved',
      actor: 'user:default/fay.lead',
    });
    expect(await statusInAws(unknown)).toBe('Approved');
  }, 60_000);

  it('refuses the approval of a version nobody is known to have registered, when policy says so', async () => {
    const unknown = await register(FRAUD, 'fraud-detection');
    const strict = await startBackend(
      { unknownRegistrant: 'refuse' },
      { events: false },
    );
    expect(
      (
        await request(strict)
          .get('/api/ml-registry/gates')
          .query({ arn: unknown })
          .set(asUser('leo.lead'))
      ).body.gates[0].notice,
    ).toBe(
      `Registered by arn:aws:iam::${FRAUD}:root, which no Backstage user is mapped to: policy refuses its approval.`,
    );
    const refused = await request(strict)
      .post('/api/ml-registry/gates/decisions')
      .set(asUser('leo.lead'))
      .send({
        arn: unknown,
        gate: 'dev-approval',
        decision: 'approve',
        reason: 'looks fine',
      });
    expect([refused.status, refused.body.error.message]).toEqual([
      403,
      expect.stringContaining('(mlRegistry.gates.unknownRegistrant: refuse)'),
    ]);
    expect(await statusInAws(unknown)).toBe('PendingManualApproval');
    // A rejection needs no second look.
    expect(
      (
        await request(strict)
          .post('/api/ml-registry/gates/decisions')
          .set(asUser('leo.lead'))
          .send({
            arn: unknown,
            gate: 'dev-approval',
            decision: 'reject',
            reason: 'who made this?',
          })
      ).status,
    ).toBe(200);
    expect(await statusInAws(unknown)).toBe('Rejected');
  }, 60_000);

  it('shows an approval made outside Backstage with its AWS identity, and promotes it only when policy trusts that identity or an approver adopts it', async () => {
    const centralVersions = async (group: string) =>
      (
        await sagemaker(SHARED).send(
          new ListModelPackagesCommand({ ModelPackageGroupName: group }),
        )
      ).ModelPackageSummaryList?.length;

    // The churn account's root user approves in the console: shown, audited as external, not promoted.
    const outside = await register(CHURN, 'churn-prediction');
    const before = await centralVersions('churn-prediction');
    await sagemaker(CHURN).send(
      new UpdateModelPackageCommand({
        ModelPackageArn: outside,
        ModelApprovalStatus: 'Approved',
        ApprovalDescription: 'lgtm',
      }),
    );
    const entries = await until(
      'the external decision in the audit log',
      async () => {
        const found = await audit(outside);
        return found.some(e => e.result === 'external') ? found : undefined;
      },
    );
    expect(entries).toEqual([
      expect.objectContaining({
        actor: `arn:aws:iam::${CHURN}:root`,
        action: 'approve',
        gate: 'dev-approval',
        result: 'external',
        reason: 'lgtm',
        detail: { identity: `arn:aws:iam::${CHURN}:root`, promoted: false },
      }),
    ]);
    const shown = await gatesOf(outside);
    expect(shown.gates.slice(0, 2)).toEqual([
      expect.objectContaining({
        gate: 'dev-approval',
        state: 'approved',
        reason: 'lgtm',
        external: { identity: `arn:aws:iam::${CHURN}:root`, promoted: false },
      }),
      {
        gate: 'promotion',
        state: 'waiting',
        notice:
          'Approved outside Backstage: not promoted. An approver of the dev gate adopts the approval here to promote it.',
      },
    ]);
    expect(shown.centralArn).toBeUndefined();
    expect(await centralVersions('churn-prediction')).toBe(before);

    // A lead of another team may not adopt it; the churn lead does, and promotion follows.
    expect((await decide('leo.lead', outside)).status).toBe(403);
    expect(await statusInAws(outside)).toBe('Approved');
    const adopted = await decide(
      'lucia.lead',
      outside,
      'reviewed the console approval',
    );
    expect(adopted.status).toBe(200);
    const promoted = await until('the adopted version promoted', async () => {
      const gates = await gatesOf(outside);
      return gates.gates[1].state === 'done' ? gates : undefined;
    });
    expect(promoted.centralArn).toBeDefined();
    expect(
      (await audit(outside)).map(a => [a.actor, a.action, a.result]),
    ).toEqual([
      [`arn:aws:iam::${CHURN}:root`, 'approve', 'external'],
      ['user:default/leo.lead', 'approve', 'denied'],
      ['user:default/lucia.lead', 'approve', 'ok'],
      ['plugin:ml-registry', 'promote', 'ok'],
    ]);

    // The fraud account's root user is an external approver by policy: promoted without Backstage.
    const trusted = await register(FRAUD, 'fraud-detection');
    await sagemaker(FRAUD).send(
      new UpdateModelPackageCommand({
        ModelPackageArn: trusted,
        ModelApprovalStatus: 'Approved',
      }),
    );
    const followed = await until(
      'the trusted external approval promoted',
      async () => {
        const gates = await gatesOf(trusted);
        return gates.gates[1].state === 'done' ? gates : undefined;
      },
    );
    expect(devGate(followed).external).toEqual({
      identity: `arn:aws:iam::${FRAUD}:root`,
      promoted: true,
    });
    expect(
      (await audit(trusted)).map(a => [a.actor, a.result, a.detail?.promoted]),
    ).toEqual([
      [`arn:aws:iam::${FRAUD}:root`, 'external', true],
      ['plugin:ml-registry', 'ok', undefined],
    ]);
  }, 60_000);

  it('answers 200 concurrent reads of one version with a handful of AWS calls', async () => {
    const approved = (
      await sagemaker(SHARED).send(
        new ListModelPackagesCommand({
          ModelPackageGroupName: 'churn-prediction',
          ModelApprovalStatus: 'Approved',
        }),
      )
    ).ModelPackageSummaryList![0].ModelPackageArn!;
    // Past the view cache's lifetime, so the reads below start from a miss.
    await new Promise(r => setTimeout(r, 2100));
    sandbox.core.resetCounters();
    const started = Date.now();
    const responses = await Promise.all(
      Array.from({ length: 200 }, () =>
        request(server)
          .get('/api/ml-registry/gates')
          .query({ arn: approved })
          .set(asUser('grace.governance')),
      ),
    );
    expect(responses.map(r => r.status).every(s => s === 200)).toBe(true);
    // What a view reads from the deploy pipeline (syncs, which run meanwhile, read the registry and cards, not the pipeline).
    const counters = sandbox.counters();
    const calls = Object.entries(counters)
      .filter(([operation]) => operation.startsWith('codepipeline:'))
      .reduce((sum, [, byAccount]) => sum + (byAccount[SHARED] ?? 0), 0);
    // One read of the version (three pipeline calls: its definition, its state, its approval action's execution)
    // per view-cache lifetime (2 s) while the 200 requests are served, however many ask at once.
    const lifetimes = Math.floor((Date.now() - started) / 2000) + 1;
    expect(counters['codepipeline:GetPipeline'][SHARED]).toBeLessThanOrEqual(
      lifetimes,
    );
    expect(calls).toBeLessThanOrEqual(3 * lifetimes);
  }, 60_000);
});
