import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  mlDevApprovalPermission,
  mlGovernanceApprovalPermission,
  mlRegistryReadPermission,
  mlRegistrySchedulerPermission,
} from '@ml-governance/plugin-ml-registry-common';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  actionExecutePermission,
  taskCreatePermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { MlGovernancePolicy } from './MlGovernancePolicy';
import { TEAM_ACCOUNT_ACTIONS } from './teamAccounts';
import { DEFAULT_PLATFORM_ENGINEERS } from './platformEngineers';
import { DEFAULT_TEMPLATE_ACCESS, readTemplateAccess } from './templateAccess';

// A user as the permission backend hands them to the policy: their ownership refs resolved.
const user = (...refs: string[]) => ({
  credentials: mockCredentials.user(refs[0]),
  info: { userEntityRef: refs[0], ownershipEntityRefs: refs },
});

const TOPOLOGY = {
  accounts: [
    {
      accountId: '111111111111',
      stage: 'shared-services' as const,
      name: 'ml-shared-services',
    },
    {
      accountId: '222222222222',
      stage: 'dev' as const,
      name: 'fraud-dev',
      team: 'group:default/fraud-ds',
    },
  ],
  platformEngineers: DEFAULT_PLATFORM_ENGINEERS,
};

describe('MlGovernancePolicy', () => {
  const policy = new MlGovernancePolicy(DEFAULT_TEMPLATE_ACCESS, TOPOLOGY);

  it("lets each gate be decided by its approvers as the ML registry resolves them, a lead only on their own team's dev versions", async () => {
    const lead = user(
      'user:default/leo.lead',
      'group:default/lead-data-scientists',
      'group:default/fraud-ds',
    );
    const officer = user(
      'user:default/grace.governance',
      'group:default/governance-officers',
    );
    const condition = (rule: string, params: object) => ({
      rule,
      resourceType: 'ml-model-version',
      params,
    });
    const conditional = (conditions: object) => ({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'ml-registry',
      resourceType: 'ml-model-version',
      conditions,
    });
    expect(
      await policy.handle({ permission: mlDevApprovalPermission }, lead),
    ).toEqual(
      conditional({
        allOf: [
          condition('IS_GATE_APPROVER', {
            gate: 'dev-approval',
            claims: lead.info.ownershipEntityRefs,
          }),
          condition('IS_IN_STAGE', { stages: ['dev'] }),
          condition('IS_TEAM_ACCOUNT', {
            teams: [
              'group:default/lead-data-scientists',
              'group:default/fraud-ds',
            ],
          }),
        ],
      }),
    );
    expect(
      await policy.handle(
        { permission: mlGovernanceApprovalPermission },
        officer,
      ),
    ).toEqual(
      conditional({
        allOf: [
          condition('IS_GATE_APPROVER', {
            gate: 'governance-approval',
            claims: officer.info.ownershipEntityRefs,
          }),
          condition('IS_IN_STAGE', { stages: ['shared-services'] }),
        ],
      }),
    );
    expect(
      await policy.handle({ permission: mlGovernanceApprovalPermission }),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  it("lets only platform engineers trigger or cancel the registry's scheduled tasks", async () => {
    const decide = (u?: ReturnType<typeof user>) =>
      policy.handle({ permission: mlRegistrySchedulerPermission }, u);
    expect(await decide(user('user:default/dana.scientist'))).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(
      await decide(
        user('user:default/leo.lead', 'group:default/lead-data-scientists'),
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(
      await decide(
        user('user:default/priya.platform', 'group:default/platform-engineers'),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(await decide()).toEqual({ result: AuthorizeResult.DENY });
  });

  it('leaves other permissions allowed', async () => {
    expect(
      await policy.handle(
        { permission: mlRegistryReadPermission },
        user('user:default/dana.scientist'),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      await policy.handle(
        { permission: taskCreatePermission },
        user('user:default/dana.scientist'),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  const audience = (value: string) => ({
    rule: 'HAS_ANNOTATION',
    resourceType: 'catalog-entity',
    params: { annotation: 'ml-governance.io/template-audience', value },
  });
  const action = (actionId: string) => ({
    rule: 'HAS_ACTION_ID',
    resourceType: 'scaffolder-action',
    params: { actionId },
  });

  it('hides the templates of the audiences a user is not in', async () => {
    const scientist = user(
      'user:default/dana.scientist',
      'group:default/data-scientists',
    );
    expect(
      await policy.handle(
        { permission: catalogEntityReadPermission },
        scientist,
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        not: { anyOf: [audience('ml-admin'), audience('ml-deploy')] },
      },
    });
    const lead = user(
      'user:default/leo.lead',
      'group:default/lead-data-scientists',
    );
    expect(
      await policy.handle({ permission: catalogEntityReadPermission }, lead),
    ).toMatchObject({
      conditions: { not: { anyOf: [audience('ml-deploy')] } },
    });
    // Services never reach the policy: a request without a user is unauthenticated.
    expect(
      await policy.handle({ permission: catalogEntityReadPermission }),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  it('lets only an audience run its actions, unless another audience of the user has them', async () => {
    const scientist = user(
      'user:default/dana.scientist',
      'group:default/data-scientists',
      'group:default/fraud-ds',
    );
    const inOwnTeamOnly = {
      allOf: [
        { anyOf: TEAM_ACCOUNT_ACTIONS.map(action) },
        {
          not: {
            anyOf: [
              {
                rule: 'HAS_STRING_PROPERTY',
                resourceType: 'scaffolder-action',
                params: { key: 'account', value: 'fraud-dev' },
              },
            ],
          },
        },
      ],
    };
    expect(
      await policy.handle({ permission: actionExecutePermission }, scientist),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'scaffolder',
      resourceType: 'scaffolder-action',
      conditions: {
        not: {
          anyOf: [
            ...[
              'sagemaker:domain:create',
              'sagemaker:user-profile:create',
              'servicecatalog:product:provision',
              'codepipeline:deploy-pipeline:create',
            ].map(action),
            inOwnTeamOnly,
          ],
        },
      },
    });
    const shared = new MlGovernancePolicy(
      {
        ...DEFAULT_TEMPLATE_ACCESS,
        'ml-experiment': {
          ...DEFAULT_TEMPLATE_ACCESS['ml-experiment'],
          actions: [
            'sagemaker:project:create',
            'servicecatalog:product:provision',
          ],
        },
      },
      TOPOLOGY,
    );
    expect(
      await shared.handle({ permission: actionExecutePermission }, scientist),
    ).toMatchObject({
      conditions: {
        not: {
          anyOf: [
            ...[
              'sagemaker:domain:create',
              'sagemaker:user-profile:create',
              'codepipeline:deploy-pipeline:create',
            ].map(action),
            inOwnTeamOnly,
          ],
        },
      },
    });
    // Without a team there is no account to make those in.
    expect(
      await policy.handle(
        { permission: actionExecutePermission },
        user('user:default/mo.engineer', 'group:default/ml-engineers'),
      ),
    ).toMatchObject({
      conditions: {
        not: {
          anyOf: expect.arrayContaining([
            { anyOf: TEAM_ACCOUNT_ACTIONS.map(action) },
          ]),
        },
      },
    });
    const everything = user(
      'user:default/priya.platform',
      'group:default/platform-engineers',
      'group:default/data-scientists',
      'group:default/ml-engineers',
    );
    expect(
      await policy.handle({ permission: actionExecutePermission }, everything),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('reads template access from config: an audience replaces its default, a bad name or ref is named', () => {
    const access = readTemplateAccess(
      new ConfigReader({
        mlRegistry: {
          templateAccess: {
            'ml-deploy': {
              groups: ['group:default/mlops'],
              actions: ['codepipeline:deploy-pipeline:create'],
            },
            'vision-team': { groups: ['group:default/vision'] },
          },
        },
      }),
    );
    expect(access['ml-deploy']).toEqual({
      groups: ['group:default/mlops'],
      actions: ['codepipeline:deploy-pipeline:create'],
    });
    expect(access['vision-team']).toEqual({
      groups: ['group:default/vision'],
      actions: [],
    });
    expect(access['ml-admin']).toEqual(DEFAULT_TEMPLATE_ACCESS['ml-admin']);
    expect(() =>
      readTemplateAccess(
        new ConfigReader({
          mlRegistry: { templateAccess: { 'ml-admin': { groups: ['leads'] } } },
        }),
      ),
    ).toThrow(
      "mlRegistry.templateAccess.ml-admin.groups[0]: 'leads' is not a user or group entity ref",
    );
    expect(() =>
      readTemplateAccess(
        new ConfigReader({
          mlRegistry: { templateAccess: { 'ML Admin': { groups: [] } } },
        }),
      ),
    ).toThrow(
      'mlRegistry.templateAccess.ML Admin: an audience is named with lower-case letters, digits and dashes',
    );
  });

  describe('the templates of templates/', () => {
    const dir = path.resolve(__dirname, '../../../templates');
    const templates = readdirSync(dir, { withFileTypes: true })
      .filter(d => d.isDirectory())
      .map(d =>
        yaml.parse(
          readFileSync(path.join(dir, d.name, 'template.yaml'), 'utf8'),
        ),
      );
    const restricted = new Set(
      Object.values(DEFAULT_TEMPLATE_ACCESS).flatMap(a => a.actions),
    );

    it.each(templates.map(t => [t.metadata.name, t]))(
      '%s names a default audience that may run every restricted action it uses',
      (_name, template) => {
        const name =
          template.metadata.annotations?.['ml-governance.io/template-audience'];
        expect(Object.keys(DEFAULT_TEMPLATE_ACCESS)).toContain(name);
        const used = template.spec.steps
          .map((step: { action: string }) => step.action)
          .filter((a: string) => restricted.has(a));
        expect(DEFAULT_TEMPLATE_ACCESS[name].actions).toEqual(
          expect.arrayContaining(used),
        );
      },
    );
  });
});
