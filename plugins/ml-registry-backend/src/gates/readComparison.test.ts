import { Server } from 'node:http';
import { Sandbox, startSdkSandbox } from '@ml-governance/aws-sandbox';
import {
  VersionComparison,
  VersionGates,
} from '@ml-governance/plugin-ml-registry-common';
import request from 'supertest';
import { asUser, readGates, untilFirstSync } from '../__testUtils__/gateApi';
import { startGateBackend } from '../__testUtils__/gateBackend';

const DEV = '222222222222';
const SHARED = '111111111111';
const version = (account: string, n: number) =>
  `arn:aws:sagemaker:us-east-1:${account}:model-package/fraud-detection/${n}`;

/**
 * What an approver sees changed, and what each stage runs, read by the real
 * backend from the sandbox's seeded fraud model: central v1 runs in test and
 * prod, central v2 waits for the ML engineer, dev v3 for its lead.
 */
describe('GET /gates/comparison and the stages a version meets', () => {
  let sandbox: Sandbox;
  let server: Server;
  const compare = (arn: string, gate: string, user = 'mo.engineer') =>
    request(server)
      .get('/api/ml-registry/gates/comparison')
      .query({ arn, gate })
      .set(asUser(user));

  beforeAll(async () => {
    sandbox = await startSdkSandbox({ stepMs: 20, defaultCredentials: true });
    server = await startGateBackend({
      sandbox,
      gates: { thresholds: { auc: 0.9 } },
    });
    await untilFirstSync(server);
  }, 60_000);

  afterAll(() => sandbox.close());

  it('shows, on the deploy gates, the version each stage runs as its endpoint config says', async () => {
    const gates: VersionGates = await readGates(server, version(SHARED, 2));
    const test = gates.gates.find(g => g.gate === 'test-deploy');
    const prod = gates.gates.find(g => g.gate === 'prod-deploy');
    expect(test?.runs).toEqual([
      {
        endpointName: 'fraud-detection-test',
        accountId: '333333333333',
        status: 'InService',
        modelPackageArn: version(SHARED, 1),
        version: 1,
      },
    ]);
    expect(prod?.runs?.map(r => r.version)).toEqual([1]);
    expect(test?.state).not.toBe('done');
  });

  it('compares a central version with what the next stage runs now', async () => {
    const response = await compare(version(SHARED, 2), 'central-approval');
    expect(response.status).toBe(200);
    const comparison: VersionComparison = response.body;
    expect(comparison).toMatchObject({
      gate: 'central-approval',
      basis: 'next-stage',
      stage: 'test',
      version: { arn: version(SHARED, 2), version: 2 },
      baseline: { arn: version(SHARED, 1), version: 1 },
    });
    // The threshold's metric first, read from each version's evaluation report.
    const [auc] = comparison.metrics;
    expect(auc).toMatchObject({ name: 'auc', threshold: 0.9 });
    expect(auc.value).toEqual(expect.any(Number));
    expect(auc.baseline).toEqual(expect.any(Number));
    expect(auc.delta).toBeCloseTo(auc.value! - auc.baseline!, 6);
    expect(comparison.version).toMatchObject({
      registeredBy: `arn:aws:iam::${DEV}:root`,
      trainingData: expect.stringMatching(/^s3:\/\//),
      biasReport: expect.stringMatching(/^s3:\/\/.*\/v2\/bias.json$/),
      images: [{ image: expect.stringContaining('sagemaker-xgboost') }],
    });
    // Seeded before promotion pinned images: no digest on either side, so no change of digest.
    expect(comparison.changes).toEqual(['bias-report']);
    // The seeded reports lie in the dev account's bucket, which shared services may not read: the metadata is shown, said so.
    expect(comparison.version.problems).toContain(
      "metrics shown are the registrant's metadata",
    );
  });

  it('compares a dev version with the previous approved one, saying what it could not read', async () => {
    const response = await compare(version(DEV, 3), 'dev-approval', 'leo.lead');
    expect(response.status).toBe(200);
    const comparison: VersionComparison = response.body;
    expect(comparison).toMatchObject({
      basis: 'previous-approved',
      version: { version: 3, approvalStatus: 'PendingManualApproval' },
      baseline: { version: 2, approvalStatus: 'Approved' },
    });
    expect(comparison.metrics.map(m => m.name)).toContain('auc');
  });

  it('refuses what names no version decided at that gate, and callers who may not read', async () => {
    const unpromoted = await compare(version(DEV, 3), 'governance-approval');
    expect(unpromoted.status).toBe(404);
    expect(unpromoted.body.error.message).toContain('is not promoted');
    const badGate = await compare(version(DEV, 3), 'prod-deploy');
    expect(badGate.status).toBe(400);
    const anonymous = await request(server)
      .get('/api/ml-registry/gates/comparison')
      .query({ arn: version(DEV, 3), gate: 'dev-approval' });
    expect(anonymous.status).toBe(401);
  });
});
