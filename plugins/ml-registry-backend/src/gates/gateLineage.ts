import { InputError, NotFoundError } from '@backstage/errors';
import {
  MlPlatformConfig,
  parseArn,
} from '@ml-governance/plugin-ml-registry-common';
import { ModelVersionRecord, VersionStore } from '../database/VersionStore';

/** A version the gates act on, with the dev version and its central copy (one of them the version itself). */
export interface GateLineage {
  version: ModelVersionRecord;
  dev?: ModelVersionRecord;
  central?: ModelVersionRecord;
}

/** The ARNs of a lineage, dev first: its gate decisions and audit entries are kept under them. */
export function lineageArns(lineage: Omit<GateLineage, 'version'>): string[] {
  return [lineage.dev?.arn, lineage.central?.arn].filter(
    (a): a is string => !!a,
  );
}

/** The dev version and its central copy, whichever of the two `arn` is. */
export async function gateLineage(
  deps: { platform: MlPlatformConfig; versions: VersionStore },
  arn: string,
): Promise<GateLineage> {
  const accountId = parseArn(arn)?.accountId;
  if (!deps.platform.accounts.some(a => a.accountId === accountId)) {
    throw new InputError(
      `arn: account ${accountId} is not one of the accounts configured under mlRegistry.accounts`,
    );
  }
  const version = await deps.versions.getVersion(arn);
  if (!version)
    throw new NotFoundError(
      `No model version ${arn}; it may not be synced yet`,
    );
  if (version.sourceArn) {
    return {
      version,
      dev: await deps.versions.getVersion(version.sourceArn),
      central: version,
    };
  }
  const [central] = await deps.versions.promotedFrom(arn);
  return { version, dev: version, central };
}
