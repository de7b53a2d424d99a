import { mlRegistryPlugin } from './plugin';

describe('ml-registry', () => {
  it('should export plugin', () => {
    expect(mlRegistryPlugin).toBeDefined();
  });
});
