import { exampleOrgMemberships } from './exampleOrgUserInfo';

describe('exampleOrgMemberships', () => {
  it('reads every example user and their groups from examples/org.yaml', () => {
    const memberships = exampleOrgMemberships();
    expect(memberships['leo.lead']).toEqual([
      'lead-data-scientists',
      'fraud-ds',
    ]);
    expect(memberships['grace.governance']).toEqual(['governance-officers']);
    expect(Object.keys(memberships)).toHaveLength(7);
  });
});
