import { matchesPattern } from './eventPattern';

const event = {
  source: 'aws.sagemaker',
  'detail-type': 'SageMaker Model Package State Change',
  account: '222222222222',
  detail: {
    ModelApprovalStatus: 'Approved',
    ModelPackageGroupName: 'fraud-detection',
  },
};

describe('matchesPattern', () => {
  it.each([
    [{ source: ['aws.sagemaker'] }, true],
    [{ source: ['aws.codepipeline'] }, false],
    [
      {
        source: ['aws.sagemaker'],
        detail: { ModelApprovalStatus: ['Approved'] },
      },
      true,
    ],
    [{ detail: { ModelApprovalStatus: ['Rejected'] } }, false],
    [{ detail: { ModelPackageGroupName: [{ prefix: 'fraud' }] } }, true],
    [
      { detail: { ModelApprovalStatus: [{ 'anything-but': ['Rejected'] }] } },
      true,
    ],
    [{ detail: { Missing: [{ exists: false }] } }, true],
    [{ detail: { Missing: ['x'] } }, false],
  ])('%j -> %p', (pattern, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });
});
