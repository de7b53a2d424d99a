import { entityEnvelopeSchemaValidator } from '@backstage/catalog-model';
import { catalogEntities, modelEntityName } from './catalogEntities';

const accounts = [
  { accountId: '111111111111', stage: 'shared-services' as const, name: 'ml-shared-services' },
  { accountId: '222222222222', stage: 'dev' as const, name: 'fraud-dev', team: 'group:default/fraud-ds' },
  { accountId: '222222222223', stage: 'dev' as const, name: 'churn-dev', team: 'group:default/churn-ds' },
];
const group = (accountId: string, name: string) => ({
  arn: `arn:aws:sagemaker:us-east-1:${accountId}:model-package-group/${name}`,
  accountId, name, createdAt: new Date(),
});

describe('catalogEntities', () => {
  it('makes one ai-model per group per account, the central one depending on its dev source', () => {
    const central = group('111111111111', 'fraud-detection');
    const entities = catalogEntities({ endpoints: [],
      accounts,
      defaultOwner: 'group:default/ml-engineers',
      groups: [group('222222222222', 'fraud-detection'), central, group('222222222223', 'fraud-detection')],
      sources: new Map([[central.arn, [{ accountId: '222222222222', groupName: 'fraud-detection' }]]]),
    });
    expect(entities.map(e => e.metadata.name)).toEqual([
      'fraud-dev--fraud-detection', 'ml-shared-services--fraud-detection', 'churn-dev--fraud-detection',
    ]);
    expect(entities[1].spec).toEqual({
      type: 'ai-model', owner: 'group:default/fraud-ds', dependsOn: ['resource:default/fraud-dev--fraud-detection'],
    });
    expect(entities[2].spec?.owner).toBe('group:default/churn-ds');
    expect(entities[1].metadata.annotations?.['aws.amazon.com/arn']).toBe(central.arn);
    const validate = entityEnvelopeSchemaValidator();
    for (const e of entities) expect(() => validate(e)).not.toThrow();
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
    const prod = { accountId: '444444444444', stage: 'prod' as const, name: 'ml-prod' };
    const entities = catalogEntities({
      accounts: [...accounts, prod],
      defaultOwner: 'group:default/ml-engineers',
      groups: [group('222222222222', 'fraud-detection'), central],
      sources: new Map([[central.arn, [{ accountId: '222222222222', groupName: 'fraud-detection' }]]]),
      endpoints: [
        {
          arn: 'arn:aws:sagemaker:us-east-1:444444444444:endpoint/fraud-detection-prod', accountId: '444444444444',
          name: 'fraud-detection-prod', status: 'InService', createdAt: new Date(), lastModifiedAt: new Date(),
          modelPackageArn: 'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud-detection/1',
        },
        {
          arn: 'arn:aws:sagemaker:us-east-1:444444444444:endpoint/untagged', accountId: '444444444444',
          name: 'untagged', status: 'InService', createdAt: new Date(), lastModifiedAt: new Date(),
        },
      ],
    });
    const [served, untagged] = entities.filter(e => e.kind === 'Component');
    expect(served.metadata.name).toBe('ml-prod--fraud-detection-prod');
    expect(served.spec).toEqual({
      type: 'model-server', lifecycle: 'production', owner: 'group:default/fraud-ds',
      dependsOn: ['resource:default/ml-shared-services--fraud-detection'],
    });
    expect(untagged.spec).toEqual({ type: 'model-server', lifecycle: 'production', owner: 'group:default/ml-engineers' });
  });

  it('leaves out groups of accounts no longer configured', () => {
    expect(catalogEntities({ endpoints: [], accounts, defaultOwner: 'group:default/x', groups: [group('999999999999', 'm')], sources: new Map() })).toEqual([]);
  });
});
