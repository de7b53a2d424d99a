import { ModelVersion } from '@ml-governance/plugin-ml-registry-common';
import { ModelVersionRecord } from '../database/VersionStore';

/** A stored version as the API shows it: times as ISO strings, who changed it last left out (the history has it). */
export function apiVersion(v: ModelVersionRecord): ModelVersion {
  const { lastModifiedBy: _internal, ...rest } = v;
  return {
    ...rest,
    createdAt: v.createdAt.toISOString(),
    lastModifiedAt: v.lastModifiedAt.toISOString(),
  };
}
