import { NotFoundError } from '@backstage/errors';
import {
  DecisionGate,
  MlPlatformConfig,
  VersionComparison,
} from '@ml-governance/plugin-ml-registry-common';
import { AwsClientFactory } from '@ml-governance/plugin-ml-registry-node';
import { EndpointStore } from '../database/EndpointStore';
import { ModelVersionRecord, VersionStore } from '../database/VersionStore';
import { Baseline, compareVersions } from './compareVersions';
import { gateLineage } from './gateLineage';
import { GatePolicy } from './gatePolicy';
import { readVersionFacts } from './readVersionFacts';
import { registrantOf } from './separationOfDuties';

export interface ComparisonDeps {
  clients: AwsClientFactory;
  platform: MlPlatformConfig;
  versions: VersionStore;
  endpoints: EndpointStore;
  policy: GatePolicy;
}

/** The stage a gate's approval lets the version into, whose current version it is compared with. */
const NEXT_STAGE: Partial<Record<DecisionGate, 'test' | 'prod'>> = {
  'central-approval': 'test',
  'governance-approval': 'prod',
};

/** Approved versions looked through for the newest one before the version decided on. */
const PREVIOUS_APPROVED_WINDOW = 100;

/** The version the next stage's endpoint of the model runs now (as the sync read it from its config), if another. */
async function nextStageVersion(
  deps: ComparisonDeps,
  version: ModelVersionRecord,
  stage: 'test' | 'prod',
): Promise<ModelVersionRecord | undefined> {
  const stageOf = (accountId: string) =>
    deps.platform.accounts.find(a => a.accountId === accountId)?.stage;
  const running = (
    await deps.endpoints.listEndpoints({ groupOf: version.arn })
  ).find(
    e =>
      stageOf(e.accountId) === stage &&
      e.status === 'InService' &&
      e.modelPackageArn !== version.arn,
  );
  return running?.modelPackageArn
    ? deps.versions.getVersion(running.modelPackageArn)
    : undefined;
}

/** The newest approved version of the same group before this one. */
async function previousApproved(
  deps: ComparisonDeps,
  version: ModelVersionRecord,
): Promise<ModelVersionRecord | undefined> {
  const { items } = await deps.versions.versionsPage(
    version.accountId,
    version.groupName,
    {
      offset: 0,
      limit: PREVIOUS_APPROVED_WINDOW,
      sortBy: 'version',
      order: 'desc',
      status: 'Approved',
    },
  );
  return items.find(v => v.version < version.version);
}

/** Who registered a version: its dev version's registrant, by their Backstage user where known. */
async function registeredBy(
  deps: ComparisonDeps,
  version: ModelVersionRecord,
): Promise<string | undefined> {
  const dev = version.sourceArn
    ? await deps.versions.getVersion(version.sourceArn)
    : version;
  if (!dev) return undefined;
  const registrant = registrantOf(deps.policy, dev);
  return registrant.user ?? registrant.identity;
}

/**
 * What changed, for the approver of `gate`: the version decided there beside
 * the version the next stage runs now, or else the previous approved version,
 * both read from AWS.
 */
export async function readComparison(
  deps: ComparisonDeps,
  arn: string,
  gate: DecisionGate,
): Promise<VersionComparison> {
  const { dev, central } = await gateLineage(deps, arn);
  const version = gate === 'dev-approval' ? dev : central;
  if (!version)
    throw new NotFoundError(
      `No version of ${arn} is decided at ${gate}: ${
        gate === 'dev-approval' ? 'it has no dev version' : 'it is not promoted'
      }`,
    );
  const stage = NEXT_STAGE[gate];
  const running = stage
    ? await nextStageVersion(deps, version, stage)
    : undefined;
  const other = running ?? (await previousApproved(deps, version));
  const factsOf = async (v: ModelVersionRecord) =>
    readVersionFacts(deps.clients, v, await registeredBy(deps, v));
  const [facts, otherFacts] = await Promise.all([
    factsOf(version),
    other ? factsOf(other) : undefined,
  ]);
  let baseline: Baseline = { basis: 'none' };
  if (otherFacts)
    baseline =
      running && stage
        ? { basis: 'next-stage', stage, facts: otherFacts }
        : { basis: 'previous-approved', facts: otherFacts };
  return compareVersions(gate, facts, baseline, deps.policy.thresholds);
}
