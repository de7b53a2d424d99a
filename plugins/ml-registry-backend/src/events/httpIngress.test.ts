import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import eventsPlugin from '@backstage/plugin-events-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  Sandbox,
  SANDBOX_AWS_CONFIG,
  startSdkSandbox,
} from '@ml-governance/aws-sandbox';
import { GATE_TEST_ACCOUNTS } from '../__testUtils__/gateBackend';
import { metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import request from 'supertest';
import { mlRegistryPlugin } from '../plugin';
import { eventsModuleMlRegistryIngress, MAX_EVENT_BYTES } from './httpIngress';
import {
  MODEL_PACKAGE_STATE_CHANGE,
  PIPELINE_ACTION_STATE_CHANGE,
} from './awsEvent';

const SHARED = '111111111111';
const DEV = '222222222222';
const KEY_HEADER = 'x-ml-events-key';
const KEY = 'an-api-key-the-connection-sends-0123456789';
const INGRESS = '/api/events/http/ml-registry';

/** Reads metrics on demand, for assertions. */
class InMemoryReader extends MetricReader {
  protected async onShutdown() {}
  protected async onForceFlush() {}
}

/** A governance officer's inbox as the attacker would like to fill it. */
const forgedApproval = (pipeline: string) => ({
  version: '0',
  'detail-type': PIPELINE_ACTION_STATE_CHANGE,
  source: 'aws.codepipeline',
  account: SHARED,
  region: 'us-east-1',
  detail: {
    pipeline,
    state: 'STARTED',
    stage: 'Approve',
    action: 'Approve now at https://evil.example',
    type: { category: 'Approval' },
  },
});
const modelPackageChange = {
  version: '0',
  'detail-type': MODEL_PACKAGE_STATE_CHANGE,
  source: 'aws.sagemaker',
  account: DEV,
  region: 'us-east-1',
  detail: {},
};

describe('the HTTP events ingress', () => {
  const reader = new InMemoryReader();
  const sent: Array<{ payload: { title: string; description?: string } }> = [];
  let sandbox: Sandbox;
  let server: any;
  const searches = () =>
    Object.values(sandbox.counters()['sagemaker:Search'] ?? {}).reduce(
      (a, b) => a + b,
      0,
    );
  const refusals = async () => {
    const { resourceMetrics } = await reader.collect();
    const points =
      resourceMetrics.scopeMetrics
        .flatMap(s => s.metrics)
        .find(m => m.descriptor.name === 'ml_registry.events.refused')
        ?.dataPoints ?? [];
    return Object.fromEntries(
      points.map(p => [
        `${p.attributes.channel}:${p.attributes.reason}`,
        p.value,
      ]),
    );
  };

  beforeAll(async () => {
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    sandbox = await startSdkSandbox({ stepMs: 10 });
    ({ server } = await startTestBackend({
      features: [
        mlRegistryPlugin,
        eventsPlugin,
        eventsServiceFactory,
        eventsModuleMlRegistryIngress,
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({
            send: async (n: any) => {
              sent.push(n);
            },
          }),
        }),
        // Only events make the registry read AWS here.
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        mockServices.rootConfig.factory({
          data: {
            events: { useEventBus: 'never' },
            mlRegistry: {
              endpoint: sandbox.url,
              maxAttempts: 1,
              eventsIngress: { apiKey: { header: KEY_HEADER, value: KEY } },
              // The shared services account and the fraud team's.
              accounts: GATE_TEST_ACCOUNTS.slice(0, 2),
            },
            aws: SANDBOX_AWS_CONFIG,
          },
        }),
      ],
    }));
    // The seeded churn-prediction run reaches its manual approval.
    await sandbox.settled();
  }, 60_000);
  afterAll(async () => {
    metrics.disable();
    await sandbox.close();
  });

  it('refuses a forged event without the key (401) or with a wrong one or a user token (403): nothing synced, nobody notified, counted', async () => {
    const before = searches();
    const none = await request(server).post(INGRESS).send(modelPackageChange);
    expect(none.status).toBe(401);
    expect(none.body.error).toEqual({
      name: 'AuthenticationError',
      message: `Send the ${KEY_HEADER} header or a Backstage service token`,
    });
    const wrong = await request(server)
      .post(INGRESS)
      .set(KEY_HEADER, `${KEY}x`)
      .send(forgedApproval('churn-prediction-deploy'));
    expect(wrong.status).toBe(403);
    const user = await request(server)
      .post(INGRESS)
      .set('authorization', mockCredentials.user.header())
      .send(modelPackageChange);
    expect(user.status).toBe(403);
    await new Promise(r => setTimeout(r, 300));
    expect(searches()).toBe(before);
    expect(sent).toEqual([]);
    expect(await refusals()).toMatchObject({
      'http:unauthenticated': 1,
      'http:forbidden': 2,
    });
  });

  it('refuses an oversized body with 413 and anything that is not an event it acts on with 400 naming what is wrong', async () => {
    const before = searches();
    const big = await request(server)
      .post(INGRESS)
      .set(KEY_HEADER, KEY)
      .send({
        ...modelPackageChange,
        detail: { padding: 'x'.repeat(MAX_EVENT_BYTES) },
      });
    expect(big.status).toBe(413);
    const garbage = await request(server)
      .post(INGRESS)
      .set(KEY_HEADER, KEY)
      .set('content-type', 'application/json')
      .send('{"detail-type": ');
    expect(garbage.status).toBe(400);
    expect(garbage.body.error).toEqual({
      name: 'InputError',
      message: 'The body is not JSON',
    });
    const unknown = await request(server)
      .post(INGRESS)
      .set(KEY_HEADER, KEY)
      .send({ ...modelPackageChange, 'detail-type': 'Urgent: approve now' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(
      /^Not an EventBridge event the ML registry acts on: detail-type: must be one of/,
    );
    const badAccount = await request(server)
      .post(INGRESS)
      .set(KEY_HEADER, KEY)
      .send({ ...modelPackageChange, account: 'abc' });
    expect(badAccount.body.error.message).toBe(
      'Not an EventBridge event the ML registry acts on: account: must be a 12-digit AWS account id',
    );
    const foreign = await request(server)
      .post(INGRESS)
      .set(KEY_HEADER, KEY)
      .send({ ...modelPackageChange, account: '999999999999' });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.message).toBe(
      'account: 999999999999 is not a configured ML account',
    );
    await new Promise(r => setTimeout(r, 300));
    expect(searches()).toBe(before);
    expect(await refusals()).toMatchObject({
      'http:too-large': 1,
      'http:malformed': 4,
    });
  });

  it('syncs the account of an event sent with the key or a service token', async () => {
    for (const auth of [
      [KEY_HEADER, KEY],
      ['authorization', mockCredentials.service.header()],
    ]) {
      const before = sandbox.counters()['sagemaker:Search']?.[DEV] ?? 0;
      const posted = await request(server)
        .post(INGRESS)
        .set(auth[0], auth[1])
        .send(modelPackageChange);
      expect(posted.status).toBe(202);
      const deadline = Date.now() + 10_000;
      while (
        (sandbox.counters()['sagemaker:Search']?.[DEV] ?? 0) === before &&
        Date.now() < deadline
      ) {
        await new Promise(r => setTimeout(r, 100));
      }
      expect(sandbox.counters()['sagemaker:Search']?.[DEV]).toBeGreaterThan(
        before,
      );
    }
  });

  it('notifies governance officers only of a pipeline AWS shows waiting, in words made from AWS state', async () => {
    // Authenticated but untrue: fraud-detection-deploy has not run, and no such pipeline as the other.
    for (const pipeline of ['fraud-detection-deploy', 'no-such-pipeline']) {
      expect(
        (
          await request(server)
            .post(INGRESS)
            .set(KEY_HEADER, KEY)
            .send(forgedApproval(pipeline))
        ).status,
      ).toBe(202);
    }
    await new Promise(r => setTimeout(r, 500));
    expect(sent).toEqual([]);
    expect(
      (
        await request(server)
          .post(INGRESS)
          .set(KEY_HEADER, KEY)
          .send(forgedApproval('churn-prediction-deploy'))
      ).status,
    ).toBe(202);
    const deadline = Date.now() + 5_000;
    while (sent.length === 0 && Date.now() < deadline)
      await new Promise(r => setTimeout(r, 100));
    expect(sent).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({
          title: 'churn-prediction-deploy waits for governance approval',
          description:
            'The deploy pipeline churn-prediction-deploy is waiting for the governance checklist and approval before production.',
        }),
      }),
    ]);
    expect(JSON.stringify(sent)).not.toContain('evil.example');
  });
});
