import { ModelSummary } from '@ml-governance/plugin-ml-registry-common';

/**
 * A model as the backend lists it: the group `groupName` of an account, three
 * versions, its entity named `<account name>--<group>`; `extra` sets the rest.
 */
export function modelSummary(
  accountId: string,
  accountName: string,
  stage: string,
  groupName: string,
  extra: Partial<ModelSummary> = {},
): ModelSummary {
  return {
    entityRef: `resource:default/${accountName}--${groupName}`,
    accountId,
    accountName,
    stage,
    groupName,
    owner: 'group:default/fraud-ds',
    arn: `arn:aws:sagemaker:us-east-1:${accountId}:model-package-group/${groupName}`,
    versions: 3,
    statusCounts: {},
    ...extra,
  };
}
