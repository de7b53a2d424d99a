import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import {
  DecisionGate,
  MlPlatformConfig,
  readApprovers,
  readMlPlatformConfig,
  readPromotionImageRegistries,
} from '@ml-governance/plugin-ml-registry-common';
import { readEventsTopic } from '../events/eventsTopic';
import { GatePolicy, readGatePolicy } from '../gates/gatePolicy';
import { ML_REGISTRY_BACKEND_DEFAULTS } from './defaults';

/**
 * Everything the ML registry backend reads from config. A bad value stops
 * start-up naming its key, before anything is written.
 */
export interface MlRegistryBackendConfig {
  /** `mlRegistry.region` (default us-east-1), `.endpoint` (default none: real AWS) and `.accounts` (default none). */
  platform: MlPlatformConfig;
  /** `mlRegistry.gates.*`: separation of duties, identities, thresholds, overrides, deploy watch, pipeline name. */
  gates: GatePolicy;
  /** `mlRegistry.gates.approvers.<gate>`: the example organisation's groups in development, nobody elsewhere. */
  approvers: Record<DecisionGate, string[]>;
  /** `mlRegistry.defaultOwner`: the owner of models whose account has no team. */
  defaultOwner: string;
  /** `mlRegistry.eventsTopic` (default ml-registry): the topic carrying EventBridge's events. */
  eventsTopic: string;
  /** `mlRegistry.resourcesRefresh`: how old a dev account's projects and domains may get before a sync reads them again. */
  resourcesRefreshMs: number;
  /** `mlRegistry.concurrency`: how many accounts sync at once. */
  concurrency: number;
  /** `mlRegistry.schedule`: how often every account is synced. */
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** `mlRegistry.gates.artifactBucket` (default the promotion's `ml-shared-artifacts-<account id>`). */
  artifactBucket?: string;
  /** `mlRegistry.promotion.lease`: how long a replica holds a promotion without renewing it; a dead replica's promotion resumes elsewhere after it. */
  promotionLeaseMs: number;
  /** `mlRegistry.promotion.imageRegistries`: the ECR registries promoted images may come from. */
  imageRegistries: string[];
}

export function readMlRegistryBackendConfig(
  config: Config,
): MlRegistryBackendConfig {
  const defaults = ML_REGISTRY_BACKEND_DEFAULTS;
  const platform = readMlPlatformConfig(config);
  const schedule = config.getOptionalConfig('mlRegistry.schedule');
  const refreshKey = 'mlRegistry.resourcesRefresh';
  const leaseKey = 'mlRegistry.promotion.lease';
  const artifactBucket = config.getOptionalString(
    'mlRegistry.gates.artifactBucket',
  );
  return {
    platform,
    gates: readGatePolicy(config),
    approvers: readApprovers(config),
    defaultOwner:
      config.getOptionalString('mlRegistry.defaultOwner') ??
      defaults.defaultOwner,
    eventsTopic: readEventsTopic(config),
    resourcesRefreshMs: durationToMilliseconds(
      config.has(refreshKey)
        ? readDurationFromConfig(config, { key: refreshKey })
        : defaults.resourcesRefresh,
    ),
    promotionLeaseMs: durationToMilliseconds(
      config.has(leaseKey)
        ? readDurationFromConfig(config, { key: leaseKey })
        : defaults.promotionLease,
    ),
    concurrency:
      config.getOptionalNumber('mlRegistry.concurrency') ??
      defaults.concurrency,
    schedule: schedule
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(schedule)
      : defaults.schedule,
    ...(artifactBucket ? { artifactBucket } : {}),
    imageRegistries: readPromotionImageRegistries(config, platform),
  };
}
