import {
  ML_REGISTRY_DEPLOYS_SIGNAL_CHANNEL,
  modelPackageGroupArnOf,
  modelSignalChannel,
  parseModelPackageArn,
} from '@ml-governance/plugin-ml-registry-common';
import { useRefreshOnSignals } from './useRefreshOnSignals';

/** The model package group of a version's ARN; a group's ARN stays as it is. */
export function modelGroupArn(arn: string): string {
  const version = parseModelPackageArn(arn);
  return version ? modelPackageGroupArnOf(version) : arn;
}

/**
 * A number that grows each time the model of `arn` (a version or its group)
 * changes, or a deploy pipeline moves, as the backend signals; see
 * `useRefreshOnSignals` for the polling where signals are missing.
 */
export function useModelRefresh(
  arn: string,
  options: { poll: boolean; pollMs: number } = { poll: false, pollMs: 10_000 },
): number {
  return useRefreshOnSignals(
    [
      modelSignalChannel(modelGroupArn(arn)),
      ML_REGISTRY_DEPLOYS_SIGNAL_CHANNEL,
    ],
    options,
  );
}
