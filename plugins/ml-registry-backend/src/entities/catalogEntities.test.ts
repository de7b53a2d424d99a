import { entityEnvelopeSchemaValidator } from '@backstage/catalog-model';
import { Entity } from '@backstage/catalog-model';
import { GroupSummary } from '../database/VersionStore';
import {
  datasetEntityName,
  modelEntityName,
} from '@ml-governance/plugin-ml-registry-node';
import { catalogEntities } from './catalogEntities';
import { SANDBOX_ML_ACCOUNTS } from '@ml-governance/aws-sandbox';

const accounts = [
  SANDBOX_ML_ACCOUNTS.shared,
  SANDBOX_ML_ACCOUNTS.fraud,
  SANDBOX_ML_ACCOUNTS.churn,
];
const prod = SANDBOX_ML_ACCOUNTS.prod;
/** The prod endpoint serving the central fraud-detection v1. */
const fraudProdEndpoint = {
  arn: 'arn:aws:sagemaker:us-east-1:444444444444:endpoint/fraud-detection-prod',
  accountId: '444444444444',
  name: 'fraud-detection-prod',
  status: 'InService',
  createdAt: new Date(),
  lastModifiedAt: new Date(),
  modelPackageArn:
    'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud-detection/1',
};
/** The entities of these stores' rows, with no endpoints or resources and the ML engineers as default owner unless said. */
const entitiesOf = (
  input: Partial<Parameters<typeof catalogEntities>[0]> &
    Pick<Parameters<typeof catalogEntities>[0], 'groups' | 'sources'>,
) =>
  catalogEntities({
    endpoints: [],
    resources: [],
    accounts,
    defaultOwner: 'group:default/ml-engineers',
    ...input,
  });
const group = (
  accountId: string,
  name: string,
  extra: Partial<GroupSummary> = {},
): GroupSummary => ({
  arn: `arn:aws:sagemaker:us-east-1:${accountId}:model-package-group/${name}`,
  accountId,
  name,
  createdAt: new Date(),
  trainingData: [],
  latestVersion: 1,
  ...extra,
});
const byName = (entities: Entity[], name: string) =>
  entities.find(e => e.metadata.name === name)!;

describe('catalogEntities', () => {
  it('makes one ai-model per group per account, the central one depending on its dev source', () => {
    const central = group('111111111111', 'fraud-detection');
    const entities = entitiesOf({
      groups: [
        group('222222222222', 'fraud-detection'),
        central,
        group('222222222223', 'fraud-detection'),
      ],
      sources: new Map([
        [
          central.arn,
          [{ accountId: '222222222222', groupName: 'fraud-detection' }],
        ],
      ]),
    });
    expect(entities.map(e => e.metadata.name).sort()).toEqual([
      'churn-dev--fraud-detection',
      'fraud-dev--fraud-detection',
      'ml-shared-services--fraud-detection',
    ]);
    const centralEntity = byName(
      entities,
      'ml-shared-services--fraud-detection',
    );
    expect(centralEntity.spec).toEqual({
      type: 'ai-model',
      owner: 'group:default/fraud-ds',
      dependsOn: ['resource:default/fraud-dev--fraud-detection'],
    });
    expect(byName(entities, 'churn-dev--fraud-detection').spec?.owner).toBe(
      'group:default/churn-ds',
    );
    expect(centralEntity.metadata.annotations?.['aws.amazon.com/arn']).toBe(
      central.arn,
    );
    const validate = entityEnvelopeSchemaValidator();
    for (const e of entities) expect(() => validate(e)).not.toThrow();
  });

  it('makes no model of a central group without versions (what a failed promotion left), but does of a new dev group', () => {
    const entities = entitiesOf({
      groups: [
        group('222222222222', 'fresh', { latestVersion: undefined }),
        group('111111111111', 'fresh-222222222222', {
          latestVersion: undefined,
        }),
      ],
      sources: new Map(),
    });
    expect(entities.map(e => e.metadata.name)).toEqual(['fraud-dev--fresh']);
  });

  it("links each team's central model to its own dev model when two teams name their groups alike", () => {
    const fraudCentral = group('111111111111', 'churn-222222222222');
    const churnCentral = group('111111111111', 'churn-222222222223');
    const entities = entitiesOf({
      groups: [
        group('222222222222', 'churn'),
        group('222222222223', 'churn'),
        fraudCentral,
        churnCentral,
      ],
      sources: new Map([
        [fraudCentral.arn, [{ accountId: '222222222222', groupName: 'churn' }]],
        [churnCentral.arn, [{ accountId: '222222222223', groupName: 'churn' }]],
      ]),
    });
    expect(
      byName(entities, 'ml-shared-services--churn-222222222222').spec,
    ).toEqual({
      type: 'ai-model',
      owner: 'group:default/fraud-ds',
      dependsOn: ['resource:default/fraud-dev--churn'],
    });
    expect(
      byName(entities, 'ml-shared-services--churn-222222222223').spec,
    ).toEqual({
      type: 'ai-model',
      owner: 'group:default/churn-ds',
      dependsOn: ['resource:default/churn-dev--churn'],
    });
  });

  it('keeps long names valid, distinct and stable', () => {
    const long = 'x'.repeat(60);
    const a = modelEntityName('fraud-dev', `${long}-a`);
    const b = modelEntityName('fraud-dev', `${long}-b`);
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a).toMatch(/^[a-z0-9]([a-z0-9-_.]*[a-z0-9])?$/);
    expect(modelEntityName('fraud-dev', `${long}-a`)).toBe(a);
  });

  it('makes one model-server per endpoint, depending on and owned like the model it serves', () => {
    const central = group('111111111111', 'fraud-detection');
    const entities = entitiesOf({
      accounts: [...accounts, prod],
      groups: [group('222222222222', 'fraud-detection'), central],
      sources: new Map([
        [
          central.arn,
          [{ accountId: '222222222222', groupName: 'fraud-detection' }],
        ],
      ]),
      endpoints: [
        fraudProdEndpoint,
        {
          arn: 'arn:aws:sagemaker:us-east-1:444444444444:endpoint/untagged',
          accountId: '444444444444',
          name: 'untagged',
          status: 'InService',
          createdAt: new Date(),
          lastModifiedAt: new Date(),
        },
      ],
    });
    const [served, untagged] = entities.filter(e => e.kind === 'Component');
    expect(served.metadata.name).toBe('ml-prod--fraud-detection-prod');
    expect(served.spec).toEqual({
      type: 'model-server',
      lifecycle: 'production',
      owner: 'group:default/fraud-ds',
      dependsOn: ['resource:default/ml-shared-services--fraud-detection'],
    });
    expect(untagged.spec).toEqual({
      type: 'model-server',
      lifecycle: 'production',
      owner: 'group:default/ml-engineers',
    });
  });

  it('leaves out groups of accounts no longer configured', () => {
    expect(
      entitiesOf({
        defaultOwner: 'group:default/x',
        groups: [group('999999999999', 'm')],
        sources: new Map(),
      }),
    ).toEqual([]);
  });

  it("puts a project's models and endpoints in its system, and models on their datasets and domains", () => {
    const governance = {
      accountId: '555555555555',
      stage: 'governance' as const,
      name: 'data-governance',
      team: 'group:default/governance-officers',
    };
    const s3 =
      's3://sagemaker-us-east-1-222222222222/datasets/fraud-detection/';
    const athena = 'athena://555555555555/churn_lake.customer_features';
    const dev = group('222222222222', 'fraud-detection', {
      projectId: 'p-1',
      trainingData: [s3],
      latestVersion: 4,
      latestApprovedVersion: 2,
    });
    const central = group('111111111111', 'fraud-detection', {
      trainingData: [s3, athena],
    });
    const resource = (
      kind: 'project' | 'domain',
      name: string,
      resourceId: string,
    ) => ({
      arn: `arn:aws:sagemaker:us-east-1:222222222222:${kind}/${name}`,
      accountId: '222222222222',
      kind,
      resourceId,
      name,
      createdAt: new Date(),
    });
    const entities = entitiesOf({
      accounts: [...accounts, governance, prod],
      groups: [central, dev],
      sources: new Map([
        [
          central.arn,
          [{ accountId: '222222222222', groupName: 'fraud-detection' }],
        ],
      ]),
      resources: [
        resource('project', 'fraud-experiments', 'p-1'),
        resource('domain', 'fraud-studio', 'd-1'),
      ],
      endpoints: [fraudProdEndpoint],
    });
    const system = 'system:default/fraud-dev--fraud-experiments';
    expect(byName(entities, 'fraud-dev--fraud-experiments')).toMatchObject({
      kind: 'System',
      spec: { owner: 'group:default/fraud-ds' },
    });
    expect(byName(entities, 'fraud-dev--domain-fraud-studio')).toMatchObject({
      kind: 'Resource',
      spec: { type: 'sagemaker-domain', owner: 'group:default/fraud-ds' },
    });
    expect(byName(entities, 'fraud-dev--fraud-detection').spec).toMatchObject({
      system,
      dependsOn: [`resource:default/${datasetEntityName(s3)}`],
    });
    expect(
      byName(entities, 'fraud-dev--fraud-detection').metadata.annotations,
    ).toMatchObject({
      'ml-governance.io/latest-version': '4',
      'ml-governance.io/latest-approved-version': '2',
    });
    expect(
      byName(entities, 'ml-shared-services--fraud-detection').spec,
    ).toMatchObject({
      system,
      dependsOn: [
        'resource:default/fraud-dev--fraud-detection',
        `resource:default/${datasetEntityName(s3)}`,
        `resource:default/${datasetEntityName(athena)}`,
      ],
    });
    expect(
      byName(entities, 'ml-prod--fraud-detection-prod').spec,
    ).toMatchObject({ system });
    // A team's own S3 data is the team's; the governed lake's belongs to data governance.
    expect(byName(entities, datasetEntityName(s3))).toMatchObject({
      spec: { type: 'dataset', owner: 'group:default/fraud-ds' },
      metadata: {
        tags: ['s3'],
        annotations: { 'ml-governance.io/data-source': s3 },
      },
    });
    expect(byName(entities, datasetEntityName(athena))).toMatchObject({
      spec: { type: 'dataset', owner: 'group:default/governance-officers' },
      metadata: {
        tags: ['athena'],
        annotations: { 'ml-governance.io/account-id': '555555555555' },
      },
    });
    expect(datasetEntityName(athena)).toMatch(
      /^dataset--churn-lake-customer-features-[0-9a-f]{8}$/,
    );
    const validate = entityEnvelopeSchemaValidator();
    for (const e of entities) expect(() => validate(e)).not.toThrow();
  });
});
