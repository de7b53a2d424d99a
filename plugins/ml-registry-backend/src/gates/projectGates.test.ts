import { ConfigReader } from '@backstage/config';
import {
  AccountStage,
  GateState,
} from '@ml-governance/plugin-ml-registry-common';
import { ModelVersionRecord } from '../database/VersionStore';
import { readGatePolicy } from './gatePolicy';
import { GateFacts, projectGates } from './projectGates';

const DEV =
  'arn:aws:sagemaker:us-east-1:222222222222:model-package/fraud-detection/3';
const CENTRAL =
  'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud-detection/1';
const STAGES: Record<string, AccountStage> = {
  '222222222222': 'dev',
  '111111111111': 'shared-services',
  '333333333333': 'test',
  '444444444444': 'prod',
};
const at = new Date('2026-01-01T00:00:00Z');

const version = (
  arn: string,
  approvalStatus: string,
  more: Partial<ModelVersionRecord> = {},
): ModelVersionRecord => ({
  arn,
  accountId: arn.split(':')[4],
  groupName: 'fraud-detection',
  version: Number(arn.split('/').at(-1)),
  approvalStatus,
  createdAt: at,
  lastModifiedAt: at,
  metadata: {},
  ...more,
});

const facts = (more: Partial<GateFacts>): GateFacts => ({
  decisions: [],
  deployments: [],
  setBy: {},
  audit: [],
  stageOf: accountId => STAGES[accountId],
  policy: readGatePolicy(new ConfigReader({})),
  region: 'us-east-1',
  now: at,
  ...more,
});

const states = (f: GateFacts) =>
  Object.fromEntries(
    projectGates(f).gates.map((g: GateState) => [g.gate, g.state]),
  );

describe('projectGates', () => {
  it('waits at the dev gate while the dev version is pending', () => {
    expect(
      states(facts({ dev: version(DEV, 'PendingManualApproval') })),
    ).toEqual({
      'dev-approval': 'pending',
      promotion: 'waiting',
      'central-approval': 'waiting',
      'test-deploy': 'waiting',
      'governance-approval': 'waiting',
      'prod-deploy': 'waiting',
    });
  });

  it('tells approvers of a version nobody is known to have registered that two must approve', () => {
    const gates = projectGates(
      facts({
        dev: version(DEV, 'PendingManualApproval'),
        registrant: { identity: 'arn:aws:iam::222222222222:user/ci' },
      }),
    );
    expect(gates.gates[0].notice).toBe(
      'Registered by arn:aws:iam::222222222222:user/ci, which no Backstage user is mapped to: two different approvers must approve.',
    );
  });

  it('names who decided in Backstage, and the AWS identity of a decision taken outside it', () => {
    const dev = version(DEV, 'Approved');
    const central = version(CENTRAL, 'Approved', {
      sourceArn: DEV,
      approvalDescription: 'looks good',
    });
    const gates = projectGates(
      facts({
        dev,
        central,
        decisions: [
          {
            arn: DEV,
            gate: 'dev-approval',
            actor: 'user:default/leo.lead',
            decision: 'approve',
            reason: 'metrics fine',
            decidedAt: at,
          },
        ],
        setBy: { 'central-approval': 'arn:aws:iam::111111111111:user/mo' },
      }),
    );
    expect(gates.devArn).toBe(DEV);
    expect(gates.centralArn).toBe(CENTRAL);
    expect(gates.gates[0]).toMatchObject({
      state: 'approved',
      actor: 'user:default/leo.lead',
      reason: 'metrics fine',
    });
    expect(gates.gates[1]).toMatchObject({
      state: 'done',
      reason: `promoted to ${CENTRAL}`,
    });
    expect(gates.gates[2]).toMatchObject({
      state: 'approved',
      reason: 'looks good',
      external: { identity: 'arn:aws:iam::111111111111:user/mo' },
    });
    expect(gates.gates[3].state).toBe('pending');
  });

  it('leaves a dev approval made outside Backstage by someone policy does not trust unpromoted', () => {
    const gates = projectGates(
      facts({
        dev: version(DEV, 'Approved'),
        setBy: { 'dev-approval': 'arn:aws:iam::222222222222:user/console' },
      }),
    );
    expect(gates.gates[0].external).toEqual({
      identity: 'arn:aws:iam::222222222222:user/console',
      promoted: false,
    });
    expect(gates.gates[1]).toMatchObject({
      state: 'waiting',
      notice: expect.stringContaining('not promoted'),
    });
  });

  it('shows the governance checklist only while the manual approval waits', () => {
    const checklist = [
      { id: 'metrics' as const, ok: true, evidence: 'auc 0.95 >= 0.9' },
    ];
    const approval = {
      pipelineName: 'fraud-detection-deploy',
      stageName: 'Approval',
      actionName: 'GovernanceApproval',
      stages: {},
      stageStates: [],
    };
    const central = version(CENTRAL, 'Approved', { sourceArn: DEV });
    const waiting = projectGates(
      facts({
        central,
        approval: { ...approval, status: 'InProgress' },
        checklist,
      }),
    );
    expect(waiting.gates[4].state).toBe('pending');
    expect(waiting.checklist).toEqual(checklist);
    const decided = projectGates(
      facts({
        central,
        approval: { ...approval, status: 'Succeeded', summary: 'ok' },
        checklist,
      }),
    );
    expect(decided.gates[4]).toMatchObject({ state: 'approved', reason: 'ok' });
    expect(decided.checklist).toBeUndefined();
    expect(decided.gates[5].state).toBe('pending');
  });

  it('marks a deployment done once its endpoint is in service', () => {
    const gates = projectGates(
      facts({
        central: version(CENTRAL, 'Approved', { sourceArn: DEV }),
        deployments: [
          {
            arn: 'arn:aws:sagemaker:us-east-1:444444444444:endpoint/fraud',
            accountId: '444444444444',
            name: 'fraud',
            status: 'InService',
            modelPackageArn: CENTRAL,
            createdAt: at,
            lastModifiedAt: at,
          },
        ],
      }),
    );
    expect(gates.gates[4].state).toBe('approved');
    expect(gates.gates[5]).toMatchObject({
      state: 'done',
      reason: 'fraud InService',
      runs: [{ endpointName: 'fraud', version: 1, status: 'InService' }],
    });
  });

  it("names what each stage runs, another version's too, and the version being rolled out", () => {
    const endpoint = (account: string, name: string, runs: string) => ({
      arn: `arn:aws:sagemaker:us-east-1:${account}:endpoint/${name}`,
      accountId: account,
      name,
      status: 'InService',
      modelPackageArn: runs,
      createdAt: at,
      lastModifiedAt: at,
    });
    const V2 = CENTRAL.replace(/1$/, '2');
    const gates = projectGates(
      facts({
        central: version(V2, 'Approved', { sourceArn: DEV }),
        // Prod runs v1; the pipeline has put v2 in test and waits at the manual approval.
        deployments: [
          endpoint('333333333333', 'fraud-test', V2),
          endpoint('444444444444', 'fraud-prod', CENTRAL),
        ],
        approval: {
          pipelineName: 'fraud-deploy',
          stageName: 'Approve',
          actionName: 'Approve',
          deploys: V2,
          status: 'InProgress',
          stages: {},
          stageStates: [
            {
              stageName: 'DeployTest',
              latestExecution: {
                status: 'Succeeded',
                pipelineExecutionId: 'e',
              },
            },
            {
              stageName: 'Approve',
              latestExecution: {
                status: 'InProgress',
                pipelineExecutionId: 'e',
              },
            },
          ],
        },
      }),
    );
    expect(gates.gates[3]).toMatchObject({
      state: 'done',
      runs: [{ endpointName: 'fraud-test', version: 2 }],
    });
    expect(gates.gates[5]).toMatchObject({
      state: 'waiting',
      runs: [{ endpointName: 'fraud-prod', version: 1 }],
    });
    expect(gates.gates[5].rollingOut).toBeUndefined();

    // Once approved, the prod stage runs: v1 still serves, v2 is being rolled out.
    const rolling = projectGates(
      facts({
        central: version(V2, 'Approved', { sourceArn: DEV }),
        deployments: [endpoint('444444444444', 'fraud-prod', CENTRAL)],
        approval: {
          pipelineName: 'fraud-deploy',
          stageName: 'Approve',
          actionName: 'Approve',
          deploys: V2,
          status: 'Succeeded',
          stages: {},
          stageStates: [
            {
              stageName: 'Approve',
              latestExecution: {
                status: 'Succeeded',
                pipelineExecutionId: 'e',
              },
            },
            {
              stageName: 'DeployProd',
              latestExecution: {
                status: 'InProgress',
                pipelineExecutionId: 'e',
              },
            },
          ],
        },
      }),
    );
    expect(rolling.gates[5]).toMatchObject({
      runs: [{ version: 1 }],
      rollingOut: { modelPackageArn: V2, version: 2 },
    });
  });
});
