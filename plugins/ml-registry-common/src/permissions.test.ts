import {
  isReadPermission,
  isUpdatePermission,
} from '@backstage/plugin-permission-common';
import { mlRegistryPermissions, mlRegistryReadPermission } from './permissions';

describe('mlRegistryPermissions', () => {
  it('are distinct, under the plugin prefix, and every gate is an update', () => {
    const names = mlRegistryPermissions.map(p => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every(n => n.startsWith('ml-registry.'))).toBe(true);
    expect(isReadPermission(mlRegistryReadPermission)).toBe(true);
    const gates = mlRegistryPermissions.filter(p => p.name.includes('.gate.'));
    expect(gates).toHaveLength(3);
    expect(gates.every(g => isUpdatePermission(g))).toBe(true);
  });
});
