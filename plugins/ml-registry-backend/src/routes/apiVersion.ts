import { ModelVersion } from '@ml-governance/plugin-ml-registry-common';
import { ModelVersionRecord } from '../database/VersionStore';

/** A stored version as the API shows it: times as ISO strings, who changed it last left out (the history has it). */
export function apiVersion(v: ModelVersionRecord): ModelVersion {
  const version: ModelVersion & Pick<ModelVersionRecord, 'lastModifiedBy'> = {
    ...v,
    createdAt: v.createdAt.toISOString(),
    lastModifiedAt: v.lastModifiedAt.toISOString(),
  };
  // Only a version read from AWS has it; a spread and a rare delete cost a page of versions less than a rest pattern on each.
  if (version.lastModifiedBy !== undefined) delete version.lastModifiedBy;
  return version;
}
