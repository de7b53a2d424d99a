import { centralGroupName } from './centralGroupName';

const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

describe('centralGroupName', () => {
  it('names the central group after the dev group and its account', () => {
    expect(centralGroupName('churn', '222222222222')).toBe(
      'churn-222222222222',
    );
    expect(centralGroupName('churn', '222222222223')).toBe(
      'churn-222222222223',
    );
  });

  it('keeps the longest dev group names that fit as they are', () => {
    const group = 'g'.repeat(50);
    expect(centralGroupName(group, '222222222222')).toBe(
      `${group}-222222222222`,
    );
  });

  it('shortens longer names with a hash, keeping two with the same beginning apart', () => {
    const a = centralGroupName(`${'g'.repeat(60)}-a`, '222222222222');
    const b = centralGroupName(`${'g'.repeat(60)}-b`, '222222222222');
    expect(a).toHaveLength(63);
    expect(a).toMatch(NAME);
    expect(a).toMatch(/-222222222222$/);
    expect(a).not.toBe(b);
  });

  it('names what is wrong with its input', () => {
    expect(() => centralGroupName('churn_v2', '222222222222')).toThrow(
      "Not a model package group name: 'churn_v2'",
    );
    expect(() => centralGroupName('churn', '2222')).toThrow(
      "Not an AWS account id: '2222'",
    );
  });
});
