/**
 * The default of every key under `mlRegistry` the backend reads itself, by
 * key; the platform's keys (region, endpoint, accounts, approvers, image
 * registries) default in ml-registry-common, which reads them.
 */
export const ML_REGISTRY_BACKEND_DEFAULTS = {
  defaultOwner: 'group:default/ml-platform',
  eventsTopic: 'ml-registry',
  concurrency: 4,
  resourcesRefresh: { minutes: 30 },
  promotionLease: { minutes: 2 },
  schedule: {
    frequency: { minutes: 5 },
    timeout: { minutes: 15 },
    initialDelay: { seconds: 5 },
  },
  gates: {
    separationOfDuties: true,
    unknownRegistrant: 'second-approver',
    /** `{group}` stands for the central model group's name. */
    deployPipelineName: '{group}-deploy',
    governance: { overrideMinLength: 40, overrideNeedsSecondOfficer: false },
    deploy: {
      stalledAfter: { minutes: 30 },
      notStartedAfter: { minutes: 5 },
    },
  },
} as const;
