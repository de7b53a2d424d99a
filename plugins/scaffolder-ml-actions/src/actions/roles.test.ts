import { ConfigReader } from '@backstage/config';
import { DEFAULT_ML_ROLES, readMlRoles } from './roles';

describe('readMlRoles', () => {
  it('takes each role from mlRegistry.roles, the names iam/ makes otherwise', () => {
    expect(readMlRoles(new ConfigReader({}))).toEqual(DEFAULT_ML_ROLES);
    expect(
      readMlRoles(
        new ConfigReader({
          mlRegistry: { roles: { studioExecution: 'fraud-studio-users' } },
        }),
      ),
    ).toEqual({ ...DEFAULT_ML_ROLES, studioExecution: 'fraud-studio-users' });
  });

  it('refuses an ARN, a bad name or an unknown role, naming the key', () => {
    expect(() =>
      readMlRoles(
        new ConfigReader({
          mlRegistry: {
            roles: { deployPipeline: 'arn:aws:iam::111111111111:role/admin' },
          },
        }),
      ),
    ).toThrow(
      "mlRegistry.roles.deployPipeline: 'arn:aws:iam::111111111111:role/admin' is not an IAM role name",
    );
    expect(() =>
      readMlRoles(new ConfigReader({ mlRegistry: { roles: { admin: 'x' } } })),
    ).toThrow('mlRegistry.roles.admin: not a role the actions pass');
  });
});
