import {
  CreateModelPackageCommand,
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  AuthorizeResult,
  isResourcePermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  Sandbox,
  sandboxRootClientConfig,
  startSdkSandbox,
} from '@ml-governance/aws-sandbox';
import {
  ML_MODEL_VERSION_RESOURCE_TYPE,
  mlCentralApprovalPermission,
  mlDevApprovalPermission,
  mlGovernanceApprovalPermission,
} from '@ml-governance/plugin-ml-registry-common';
import { Server } from 'node:http';
import request from 'supertest';
import { asUser, untilFirstSync } from '../__testUtils__/gateApi';
import { startGateBackend } from '../__testUtils__/gateBackend';
import { createMlRegistryConditionalDecision, mlRegistryConditions } from '..';

const SHARED = '111111111111';
const FRAUD = '222222222222';

/**
 * An organisation's own policy, not the suite's: every data scientist (not
 * only the leads) decides the dev gate of their own team's versions, ML
 * engineers the central registry's gate, governance officers the manual
 * approval; anything else of the ML registry is allowed. It reaches the
 * versions only through the backend package's exported conditions.
 */
class OrganisationPolicy implements PermissionPolicy {
  async handle(
    query: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = query;
    if (!isResourcePermission(permission, ML_MODEL_VERSION_RESOURCE_TYPE)) {
      return { result: AuthorizeResult.ALLOW };
    }
    const refs = user?.info.ownershipEntityRefs ?? [];
    const inGroup = (...names: string[]) =>
      names.some(name => refs.includes(`group:default/${name}`));
    const { isInStage, isTeamAccount } = mlRegistryConditions;
    if (
      permission.name === mlDevApprovalPermission.name &&
      inGroup('data-scientists', 'lead-data-scientists')
    ) {
      return createMlRegistryConditionalDecision(permission, {
        allOf: [
          isInStage({ stages: ['dev'] }),
          isTeamAccount({ teams: refs.filter(r => r.startsWith('group:')) }),
        ],
      });
    }
    if (
      (permission.name === mlCentralApprovalPermission.name &&
        inGroup('ml-engineers')) ||
      (permission.name === mlGovernanceApprovalPermission.name &&
        inGroup('governance-officers'))
    ) {
      return createMlRegistryConditionalDecision(
        permission,
        isInStage({ stages: ['shared-services'] }),
      );
    }
    return { result: AuthorizeResult.DENY };
  }
}

describe("an organisation's own permission policy over the exported conditions", () => {
  let sandbox: Sandbox;
  let server: Server;
  let devVersion: string;
  let centralVersion: string;
  const sagemaker = (account: string) =>
    new SageMakerClient(sandboxRootClientConfig(sandbox, account));
  const ask = async (user: string, permission: Permission, arn: string) =>
    (
      await request(server)
        .post('/api/permission/authorize')
        .set(asUser(user))
        .send({ items: [{ id: '1', permission, resourceRef: arn }] })
    ).body.items[0].result;

  beforeAll(async () => {
    sandbox = await startSdkSandbox({ stepMs: 20, defaultCredentials: true });
    // Registered before the backend starts, so its first sync finds both.
    devVersion = (
      await sagemaker(FRAUD).send(
        new CreateModelPackageCommand({
          ModelPackageGroupName: 'fraud-detection',
          ModelApprovalStatus: 'PendingManualApproval',
          CustomerMetadataProperties: { auc: '0.94' },
        }),
      )
    ).ModelPackageArn!;
    centralVersion = (
      await sagemaker(SHARED).send(
        new ListModelPackagesCommand({
          ModelPackageGroupName: 'fraud-detection',
        }),
      )
    ).ModelPackageSummaryList![0].ModelPackageArn!;

    server = await startGateBackend({
      sandbox,
      events: false,
      policy: new OrganisationPolicy(),
      // The fraud account's root user, who registered the version, is priya: nobody deciding here.
      gates: {
        identities: [
          {
            aws: `arn:aws:iam::${FRAUD}:root`,
            user: 'user:default/priya.platform',
          },
        ],
      },
    });
    await untilFirstSync(server);
  }, 60_000);

  afterAll(() => sandbox.close());

  it('grants and refuses each gate by role', async () => {
    const roles = [
      'dana.scientist', // data scientist, fraud team
      'leo.lead', // lead data scientist, fraud team
      'chen.scientist', // data scientist, churn team
      'mo.engineer',
      'grace.governance',
    ];
    const matrix = async (permission: Permission, arn: string) =>
      Promise.all(roles.map(user => ask(user, permission, arn)));

    expect(await matrix(mlDevApprovalPermission, devVersion)).toEqual([
      'ALLOW',
      'ALLOW',
      'DENY',
      'DENY',
      'DENY',
    ]);
    expect(await matrix(mlCentralApprovalPermission, centralVersion)).toEqual([
      'DENY',
      'DENY',
      'DENY',
      'ALLOW',
      'DENY',
    ]);
    expect(
      await matrix(mlGovernanceApprovalPermission, centralVersion),
    ).toEqual(['DENY', 'DENY', 'DENY', 'DENY', 'ALLOW']);
    // The stage condition holds: the central registry's approvers act on no dev version.
    expect(
      await ask('mo.engineer', mlCentralApprovalPermission, devVersion),
    ).toBe('DENY');
  });

  it("decides a gate through the backend as the organisation's policy says", async () => {
    const decide = (user: string) =>
      request(server)
        .post('/api/ml-registry/gates/decisions')
        .set(asUser(user))
        .send({
          arn: devVersion,
          gate: 'dev-approval',
          decision: 'approve',
          reason: 'metrics hold on the holdout set',
        });
    const statusInAws = async () =>
      (
        await sagemaker(FRAUD).send(
          new DescribeModelPackageCommand({ ModelPackageName: devVersion }),
        )
      ).ModelApprovalStatus;

    const refused = await decide('chen.scientist');
    expect(refused.status).toBe(403);
    expect(await statusInAws()).toBe('PendingManualApproval');

    // Our own policy would refuse dana (not a lead); this organisation's grants her.
    const approved = await decide('dana.scientist');
    expect(approved.status).toBe(200);
    expect(
      approved.body.gates.find((g: any) => g.gate === 'dev-approval'),
    ).toMatchObject({
      state: 'approved',
      actor: 'user:default/dana.scientist',
    });
    expect(await statusInAws()).toBe('Approved');
  });
});
