import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  CreateModelPackageCommand,
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
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
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  Sandbox,
  SANDBOX_AWS_CONFIG,
  startSandbox,
} from '@ml-governance/aws-sandbox';
import {
  ML_MODEL_VERSION_RESOURCE_TYPE,
  mlCentralApprovalPermission,
  mlDevApprovalPermission,
  mlGovernanceApprovalPermission,
} from '@ml-governance/plugin-ml-registry-common';
import { exampleOrgUserInfoFactory, until } from '@ml-governance/test-utils';
import request from 'supertest';
import { GATE_TEST_ACCOUNTS } from '../__testUtils__/gateBackend';
import { onBehalfOfAuth } from '../__testUtils__/onBehalfOfAuth';
import mlRegistryPlugin, {
  createMlRegistryConditionalDecision,
  mlRegistryConditions,
} from '..';

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

const organisationPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'organisation-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new OrganisationPolicy());
      },
    });
  },
});

describe("an organisation's own permission policy over the exported conditions", () => {
  let sandbox: Sandbox;
  let server: any;
  let devVersion: string;
  let centralVersion: string;
  const as = (user: string) => ({
    authorization: mockCredentials.user.header(`user:default/${user}`),
  });
  const sagemaker = (account: string) =>
    new SageMakerClient({
      endpoint: sandbox.url,
      region: 'us-east-1',
      credentials: { accessKeyId: account, secretAccessKey: 'x' },
    });
  const ask = async (user: string, permission: Permission, arn: string) =>
    (
      await request(server)
        .post('/api/permission/authorize')
        .set(as(user))
        .send({ items: [{ id: '1', permission, resourceRef: arn }] })
    ).body.items[0].result;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, stepMs: 20 });
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_STS: sandbox.url,
      AWS_ACCESS_KEY_ID: '999999999999',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_REGION: 'us-east-1',
    });
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

    ({ server } = await startTestBackend({
      features: [
        mlRegistryPlugin,
        permissionPlugin,
        organisationPolicyModule,
        permissionsServiceFactory,
        ...onBehalfOfAuth,
        exampleOrgUserInfoFactory(),
        schedulerServiceFactory,
        eventsServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            mlRegistry: {
              endpoint: sandbox.url,
              maxAttempts: 2,
              schedule: {
                frequency: { hours: 1 },
                timeout: { minutes: 1 },
                initialDelay: { seconds: 0 },
              },
              // The fraud account's root user, who registered the version, is priya: nobody deciding here.
              gates: {
                identities: [
                  {
                    aws: `arn:aws:iam::${FRAUD}:root`,
                    user: 'user:default/priya.platform',
                  },
                ],
              },
              accounts: GATE_TEST_ACCOUNTS,
            },
            aws: SANDBOX_AWS_CONFIG,
          },
        }),
      ],
    }));
    await until('the first sync', async () => {
      const items =
        (
          await request(server)
            .get('/api/ml-registry/accounts')
            .set(as('grace.governance'))
        ).body.items ?? [];
      return items.length === 5 && items.every((a: any) => !a.stale);
    });
  }, 60_000);

  afterAll(async () => {
    for (const key of [
      'AWS_ENDPOINT_URL_STS',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_REGION',
    ])
      delete process.env[key];
    await sandbox.close();
  });

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
        .set(as(user))
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
