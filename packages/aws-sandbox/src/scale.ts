import { rootContext } from './context';
import { SandboxCore } from './core';
import { sagemakerOperations } from './services/sagemaker';
import { emptyAccount, nowSeconds } from './state';

export interface ScaleOptions {
  accounts: number;
  groups: number;
  versions: number;
  /** The first account id; later ones count up from it. */
  firstAccountId?: number;
  /** A role to create in each account, e.g. the one Backstage assumes. */
  role?: { name: string; trust: string[] };
}

const STATUSES = ['Approved', 'PendingManualApproval', 'Rejected'];

/**
 * Adds `accounts` dev accounts holding `groups` model package groups of
 * `versions` versions each, through the same operations requests use, for
 * scale tests and benchmarks. Returns the new account ids.
 */
export function seedScale(core: SandboxCore, options: ScaleOptions): string[] {
  const ids: string[] = [];
  const first = options.firstAccountId ?? 700000000000;
  for (let a = 0; a < options.accounts; a++) {
    const id = String(first + a);
    core.state.accounts[id] ??= emptyAccount(id, `scale-dev-${a}`);
    const ctx = rootContext(core, id);
    if (options.role)
      core.state.roles.push({
        accountId: id,
        name: options.role.name,
        trust: options.role.trust,
      });
    // Registered a minute apart over the past, as pipelines register them, not all in one instant.
    let registeredAt = nowSeconds() - options.groups * options.versions * 60;
    for (let g = 0; g < options.groups; g++) {
      const name = `model-${a}-${g}`;
      sagemakerOperations.CreateModelPackageGroup(
        { ModelPackageGroupName: name },
        ctx,
      );
      for (let v = 0; v < options.versions; v++) {
        const { ModelPackageArn } = sagemakerOperations.CreateModelPackage(
          {
            ModelPackageGroupName: name,
            ModelApprovalStatus: STATUSES[(g + v) % STATUSES.length],
            CustomerMetadataProperties: {
              accuracy: String(0.8 + ((g * 31 + v * 7) % 20) / 100),
            },
          },
          ctx,
        );
        const created = ctx.account.modelPackages[ModelPackageArn];
        created.CreationTime = created.LastModifiedTime = registeredAt;
        registeredAt += 60;
      }
    }
    ids.push(id);
  }
  core.changed();
  return ids;
}
