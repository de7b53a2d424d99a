import { Server } from 'node:http';
import {
  DescribeModelPackageCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  Sandbox,
  sandboxRootClientConfig,
  startSdkSandbox,
} from '@ml-governance/aws-sandbox';
import {
  mlCentralApprovalPermission,
  mlDevApprovalPermission,
} from '@ml-governance/plugin-ml-registry-common';
import {
  mlRegistryGateApproversExtensionPoint,
  mlRegistryGovernanceChecklistExtensionPoint,
  mlRegistryModelOwnerExtensionPoint,
} from '@ml-governance/plugin-ml-registry-node';
import { until } from '@ml-governance/test-utils';
import request from 'supertest';
import { asUser, readGates, untilFirstSync } from '../__testUtils__/gateApi';
import { startGateBackend } from '../__testUtils__/gateBackend';
import { checklistOf } from '../gates/governanceChecklist';
import { ModelVersionRecord } from '../database/VersionStore';
import { registerExtensionPoints } from './registerExtensionPoints';

const SHARED = '111111111111';
const FRAUD = '222222222222';
const FRAUD_DEV_V3 = `arn:aws:sagemaker:us-east-1:${FRAUD}:model-package/fraud-detection/3`;
const FRAUD_CENTRAL_V2 = `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/fraud-detection/2`;
// The default scenario's churn-prediction v1 run waits at the governance gate.
const CHURN_CENTRAL_V1 = `arn:aws:sagemaker:us-east-1:${SHARED}:model-package/churn-prediction/1`;

/** What the organisation's security scanner passed: the test plays the scanner. */
const scanned = new Set<string>();

/**
 * An organisation's module of the ML registry: its governance checklist
 * keeps the suite's endpoint access item and adds its security scan; its
 * platform engineers, not the ML engineers, decide the central registry; a
 * risk office owns every fraud model.
 */
const organisationModule = createBackendModule({
  pluginId: 'ml-registry',
  moduleId: 'organisation-rules',
  register(reg) {
    reg.registerInit({
      deps: {
        checklist: mlRegistryGovernanceChecklistExtensionPoint,
        approvers: mlRegistryGateApproversExtensionPoint,
        owners: mlRegistryModelOwnerExtensionPoint,
      },
      async init({ checklist, approvers, owners }) {
        checklist.setGovernanceChecklist({
          async items(asked) {
            const ours = await asked.defaultItems();
            return [
              ...ours.filter(item => item.id === 'endpoint-access'),
              {
                id: 'security-scan',
                title: 'Container images scanned',
                ok: scanned.has(asked.version.arn),
                evidence: scanned.has(asked.version.arn)
                  ? 'scan passed'
                  : 'no passed scan of this version',
              },
            ];
          },
        });
        approvers.setGateApprovers({
          async approversOf({ gate, configured }) {
            return gate === 'central-approval'
              ? ['group:default/platform-engineers']
              : configured;
          },
        });
        owners.setModelOwnerResolver({
          async ownerOf({ model, derivedOwner }) {
            return model.name === 'fraud-detection'
              ? 'group:default/risk-office'
              : derivedOwner;
          },
        });
      },
    });
  },
});

describe("an organisation's module setting the ML registry's extension points", () => {
  let sandbox: Sandbox;
  let server: Server;
  const ask = async (user: string, permission: object, arn: string) =>
    (
      await request(server)
        .post('/api/permission/authorize')
        .set(asUser(user))
        .send({ items: [{ id: '1', permission, resourceRef: arn }] })
    ).body.items[0].result;
  const decide = (user: string, body: object) =>
    request(server)
      .post('/api/ml-registry/gates/decisions')
      .set(asUser(user))
      .send(body);

  beforeAll(async () => {
    sandbox = await startSdkSandbox({ stepMs: 20, defaultCredentials: true });
    server = await startGateBackend({
      sandbox,
      events: false,
      features: [organisationModule],
    });
    await untilFirstSync(server);
  }, 60_000);

  afterAll(() => sandbox.close());

  it("grants the central gate to the organisation's approvers, leaving the others as configured", async () => {
    expect(
      await ask(
        'priya.platform',
        mlCentralApprovalPermission,
        FRAUD_CENTRAL_V2,
      ),
    ).toBe('ALLOW');
    expect(
      await ask('mo.engineer', mlCentralApprovalPermission, FRAUD_CENTRAL_V2),
    ).toBe('DENY');
    expect(await ask('leo.lead', mlDevApprovalPermission, FRAUD_DEV_V3)).toBe(
      'ALLOW',
    );
    expect(
      await ask('priya.platform', mlDevApprovalPermission, FRAUD_DEV_V3),
    ).toBe('DENY');

    const central = {
      arn: FRAUD_CENTRAL_V2,
      gate: 'central-approval',
      decision: 'reject',
      reason: 'the endpoint budget is not approved yet',
    };
    expect((await decide('mo.engineer', central)).status).toBe(403);
    expect((await decide('priya.platform', central)).status).toBe(200);
    const sagemaker = new SageMakerClient(
      sandboxRootClientConfig(sandbox, SHARED),
    );
    const { ModelApprovalStatus } = await sagemaker.send(
      new DescribeModelPackageCommand({ ModelPackageName: FRAUD_CENTRAL_V2 }),
    );
    expect(ModelApprovalStatus).toBe('Rejected');
  });

  it("shows the organisation's checklist, which blocks the governance approval until it holds", async () => {
    const checklist = await until(
      'the churn model run at the governance gate',
      async () => (await readGates(server, CHURN_CENTRAL_V1)).checklist,
      30_000,
    );
    expect(checklist).toEqual([
      {
        id: 'endpoint-access',
        ok: false,
        evidence: 'the officer confirms who can invoke the endpoint',
      },
      {
        id: 'security-scan',
        title: 'Container images scanned',
        ok: false,
        evidence: 'no passed scan of this version',
      },
    ]);

    const approve = {
      arn: CHURN_CENTRAL_V1,
      gate: 'governance-approval',
      decision: 'approve',
      reason: 'access and scan reviewed',
      accessReviewed: true,
    };
    const blocked = await decide('grace.governance', approve);
    expect([blocked.status, blocked.body.error.message]).toEqual([
      409,
      'The governance checklist does not hold: security-scan (no passed scan of this version). Fix it, or override with a written reason.',
    ]);

    scanned.add(CHURN_CENTRAL_V1);
    const approved = await decide('grace.governance', approve);
    expect(approved.status).toBe(200);
    expect(
      approved.body.audit
        .filter((a: any) => a.gate === 'governance-approval')
        .map((a: any) => a.result),
    ).toEqual(['conflict', 'ok']);
  }, 60_000);

  it("gives models the organisation's owner, and their endpoints with them", async () => {
    const { items } = (
      await request(server)
        .get('/api/ml-registry/entities')
        .set('authorization', mockCredentials.service.header())
    ).body as { items: Entity[] };
    const ownerOf = (type: string, title: string) =>
      items.find(e => e.spec?.type === type && e.metadata.title === title)?.spec
        ?.owner;
    expect(ownerOf('ai-model', 'fraud-detection (fraud-dev)')).toBe(
      'group:default/risk-office',
    );
    expect(ownerOf('ai-model', 'fraud-detection (ml-shared)')).toBe(
      'group:default/risk-office',
    );
    const fraudEndpoints = items.filter(
      e =>
        e.spec?.type === 'model-server' &&
        (e.spec?.dependsOn as string[] | undefined)?.some(ref =>
          ref.includes('fraud-detection'),
        ),
    );
    expect(fraudEndpoints.length).toBeGreaterThan(0);
    expect(fraudEndpoints.map(e => e.spec?.owner)).toEqual(
      fraudEndpoints.map(() => 'group:default/risk-office'),
    );
    // The resolver hands back the suite's owner for the others.
    expect(ownerOf('ai-model', 'churn-prediction (churn-dev)')).toBe(
      'group:default/churn-ds',
    );
  });
});

describe('registerExtensionPoints', () => {
  it('refuses a second module setting the same extension point, naming it', () => {
    const points = new Map<unknown, any>();
    registerExtensionPoints({
      registerExtensionPoint: (ref, impl) => {
        points.set(ref, impl);
      },
    });
    const approvers = points.get(mlRegistryGateApproversExtensionPoint);
    const resolver = { approversOf: async () => [] };
    approvers.setGateApprovers(resolver);
    expect(() => approvers.setGateApprovers(resolver)).toThrow(
      'ml-registry.gate-approvers is set by two modules; install only one of them',
    );
  });
});

describe("a module's governance checklist", () => {
  const central = {
    arn: CHURN_CENTRAL_V1,
    accountId: SHARED,
    groupName: 'churn-prediction',
    version: 1,
    metadata: {},
  } as unknown as ModelVersionRecord;
  const itemsOf = (items: unknown[]) =>
    checklistOf(
      { items: async () => items as any },
      { clients: undefined as any, thresholds: {} },
      central,
      undefined,
    );

  it('is refused naming a malformed item, and keeps only what the contract holds', async () => {
    await expect(
      itemsOf([{ id: 'Security Scan', ok: true, evidence: 'x' }]),
    ).rejects.toThrow(
      "The governance checklist's item 0: id 'Security Scan' is not lower-case letters, digits and dashes (at most 64)",
    );
    await expect(
      itemsOf([
        { id: 'scan', ok: true, evidence: 'x' },
        { id: 'scan', ok: true, evidence: 'y' },
      ]),
    ).rejects.toThrow(
      "The governance checklist's item 1: id 'scan' appears twice",
    );
    await expect(
      itemsOf([{ id: 'scan', ok: 'yes', evidence: 'x' }]),
    ).rejects.toThrow(
      "The governance checklist's item 0: scan: ok is not a boolean",
    );
    expect(
      await itemsOf([{ id: 'scan', ok: true, evidence: 'x', internal: 42 }]),
    ).toEqual([{ id: 'scan', ok: true, evidence: 'x' }]);
  });
});
