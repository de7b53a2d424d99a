import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  DescribeModelPackageCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  Sandbox,
  SANDBOX_AWS_CONFIG,
  startSdkSandbox,
} from '@ml-governance/aws-sandbox';
import {
  AwsFault,
  VersionGates,
} from '@ml-governance/plugin-ml-registry-common';
import request from 'supertest';
import { GATE_TEST_ACCOUNTS } from './__testUtils__/gateBackend';
import { mlRegistryPlugin } from './plugin';

const SHARED = '111111111111';
// The default scenario's central copies: churn-prediction v1 waits at the governance approval, fraud-detection v2 at the central one.
const CHURN_CENTRAL = `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/churn-prediction/1`;
const FRAUD_CENTRAL_V1 = `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/fraud-detection/1`;
const FRAUD_CENTRAL_V2 = `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/fraud-detection/2`;

/** Every fault the sandbox can make an account suffer, and the class a person is told. */
const FAULTS: Array<[object, AwsFault]> = [
  [{ down: true }, 'server-error'],
  [{ serverError: 500 }, 'server-error'],
  [{ serverError: 503 }, 'server-error'],
  [{ throttlePerSecond: 0 }, 'throttling'],
  [{ expiredCredentials: true }, 'expired-credentials'],
  [{ accessDenied: true }, 'access-denied'],
  [{ connectionRefused: true }, 'network'],
  // The SDK has no request timeout of its own here: the unanswered request ends when the connection drops.
  [{ timeoutMs: 300 }, 'network'],
];

/**
 * The shared services account cannot be reached: the REST API answers
 * the state it last read, marked stale with the account and since when, or a
 * 503 naming the account where it never read any; never a raw 500, and a
 * decision tried meanwhile changes nothing.
 */
describe('an unreachable account', () => {
  let sandbox: Sandbox;
  let server: any;
  const gatesOf = (arn: string) =>
    request(server).get('/api/ml-registry/gates').query({ arn });
  // A view read from AWS is kept for two seconds; past that the next request reads AWS again.
  const pastViewCache = () => new Promise(r => setTimeout(r, 2100));

  beforeAll(async () => {
    sandbox = await startSdkSandbox({ stepMs: 10 });
    ({ server } = await startTestBackend({
      features: [
        mlRegistryPlugin,
        mockServices.rootConfig.factory({
          data: {
            mlRegistry: {
              endpoint: sandbox.url,
              maxAttempts: 2,
              schedule: { frequency: { hours: 1 }, timeout: { minutes: 1 } },
              // The shared services and dev accounts.
              accounts: GATE_TEST_ACCOUNTS.slice(0, 3),
            },
            aws: SANDBOX_AWS_CONFIG,
          },
        }),
      ],
    }));
    // The schedule's first sync stores the versions; the gates' reads store the pipeline's state, once its run waits for the officer.
    const deadline = Date.now() + 20_000;
    const waitsForOfficer = async () =>
      (await gatesOf(CHURN_CENTRAL)).body.gates?.find(
        (g: { gate: string }) => g.gate === 'governance-approval',
      )?.state === 'pending';
    while (!(await waitsForOfficer())) {
      if (Date.now() > deadline)
        throw new Error(
          'churn-prediction v1 was not stored waiting for the governance approval',
        );
      await new Promise(r => setTimeout(r, 200));
    }
  }, 30_000);
  afterAll(() => sandbox.close());
  afterEach(() => sandbox.setFaults([]));

  it.each(FAULTS)(
    '%j: the last state read, stale, or a 503 naming the account where none was read',
    async (fault, reason) => {
      const before = await gatesOf(CHURN_CENTRAL);
      expect(before.status).toBe(200);
      expect(before.body.stale).toBeUndefined();
      const readAt = Date.now();

      sandbox.setFaults([{ account: SHARED, ...fault }]);
      await pastViewCache();
      const during = await gatesOf(CHURN_CENTRAL);
      expect(during.status).toBe(200);
      const body: VersionGates = during.body;
      expect(body.gates).toEqual(before.body.gates);
      expect(
        body.gates.find(g => g.gate === 'governance-approval')?.state,
      ).toBe('pending');
      expect(body.stale).toEqual({
        since: expect.any(String),
        account: { accountId: SHARED, name: 'ml-shared' },
        reason,
      });
      expect(Date.parse(body.stale!.since)).toBeLessThanOrEqual(readAt);

      // Nothing of fraud-detection v1's pipeline was ever read.
      const never = await gatesOf(FRAUD_CENTRAL_V1);
      expect(never.status).toBe(503);
      expect(never.headers['retry-after']).toBe('30');
      expect(never.body.error).toEqual(
        expect.objectContaining({
          name: 'ServiceUnavailableError',
          message: `The AWS account ml-shared (${SHARED}) cannot be reached (${reason}) and nothing of it is stored to show; try again later`,
        }),
      );
      expect(never.body.response).toEqual({ statusCode: 503 });

      sandbox.setFaults([]);
      await pastViewCache();
      const after = await gatesOf(CHURN_CENTRAL);
      expect(after.body.stale).toBeUndefined();
    },
    20_000,
  );

  it.each(FAULTS)(
    '%j: a decision is a 503 naming the account, and changes nothing',
    async (fault, reason) => {
      sandbox.setFaults([{ account: SHARED, ...fault }]);
      const res = await request(server)
        .post('/api/ml-registry/gates/decisions')
        .send({
          arn: FRAUD_CENTRAL_V2,
          gate: 'central-approval',
          decision: 'reject',
          reason: 'not now',
        });
      expect(res.status).toBe(503);
      expect(res.body.error.message).toContain(
        `ml-shared (${SHARED}) cannot be reached (${reason})`,
      );

      sandbox.setFaults([]);
      const sagemaker = new SageMakerClient({
        region: 'us-east-1',
        endpoint: sandbox.url,
        credentials: { accessKeyId: SHARED, secretAccessKey: 'x' },
      });
      const { ModelApprovalStatus } = await sagemaker.send(
        new DescribeModelPackageCommand({ ModelPackageName: FRAUD_CENTRAL_V2 }),
      );
      expect(ModelApprovalStatus).toBe('PendingManualApproval');
      const audit = await request(server)
        .get('/api/ml-registry/audit')
        .query({ arn: FRAUD_CENTRAL_V2 });
      expect(
        audit.body.items.filter((e: { result: string }) => e.result === 'ok'),
      ).toEqual([]);
    },
    20_000,
  );
});
