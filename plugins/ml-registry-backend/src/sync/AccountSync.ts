import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ModelPackage,
  paginateListModelPackageGroups,
  paginateSearch,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { MlAccount } from '@ml-governance/plugin-ml-registry-common';
import { AwsClientFactory } from '@ml-governance/plugin-ml-registry-node';
import { AccountStore } from '../database/AccountStore';
import { ModelGroupRecord, ModelVersionRecord, VersionStore } from '../database/VersionStore';

/** The metadata key promotion writes on a central package: the dev package it came from. */
export const SOURCE_ARN_KEY = 'source-model-package-arn';

export type AccountSyncResult =
  | { accountId: string; ok: true; groups: number; versionsRead: number }
  | { accountId: string; ok: false; error: string };

function toVersion(accountId: string, p: ModelPackage): ModelVersionRecord {
  const metadata = p.CustomerMetadataProperties ?? {};
  return {
    arn: p.ModelPackageArn!,
    accountId,
    groupName: p.ModelPackageGroupName!,
    version: p.ModelPackageVersion!,
    approvalStatus: p.ModelApprovalStatus ?? 'PendingManualApproval',
    ...(p.ApprovalDescription ? { approvalDescription: p.ApprovalDescription } : {}),
    ...(p.CreatedBy?.UserProfileName ? { createdBy: p.CreatedBy.UserProfileName } : {}),
    createdAt: p.CreationTime!,
    lastModifiedAt: p.LastModifiedTime ?? p.CreationTime!,
    metadata,
    ...(metadata[SOURCE_ARN_KEY] ? { sourceArn: metadata[SOURCE_ARN_KEY] } : {}),
    ...(p.InferenceSpecification?.Containers?.[0]?.ModelDataUrl
      ? { modelDataUrl: p.InferenceSpecification.Containers[0].ModelDataUrl }
      : {}),
  };
}

/**
 * Reads one account's model registry into the store. The first sync pages
 * through every version; later ones ask SageMaker Search only for versions
 * modified since the last good sync, so an unchanged account costs two calls.
 * A failure leaves the account's last good data in place, marked stale.
 */
export class AccountSync {
  constructor(
    private readonly deps: {
      clients: AwsClientFactory;
      accounts: AccountStore;
      versions: VersionStore;
      logger: LoggerService;
    },
  ) {}

  async sync(account: MlAccount): Promise<AccountSyncResult> {
    const { accountId } = account;
    const startedAt = new Date();
    try {
      const sagemaker = await this.deps.clients.create(SageMakerClient, accountId);
      const groups: ModelGroupRecord[] = [];
      for await (const page of paginateListModelPackageGroups({ client: sagemaker }, { MaxResults: 100 })) {
        for (const g of page.ModelPackageGroupSummaryList ?? []) {
          groups.push({
            arn: g.ModelPackageGroupArn!, accountId, name: g.ModelPackageGroupName!,
            description: g.ModelPackageGroupDescription, createdAt: g.CreationTime!,
          });
        }
      }

      const cursor = await this.deps.accounts.versionsCursor(accountId);
      const changed: ModelVersionRecord[] = [];
      const search = paginateSearch({ client: sagemaker, pageSize: 100 }, {
        Resource: 'ModelPackage',
        SortBy: 'LastModifiedTime',
        SortOrder: 'Ascending',
        // Equal, not only greater: versions modified in the cursor's own second are read again, harmlessly.
        ...(cursor ? { SearchExpression: { Filters: [{ Name: 'LastModifiedTime', Operator: 'GreaterThanOrEqualTo', Value: cursor.toISOString() }] } } : {}),
      });
      for await (const page of search) {
        for (const result of page.Results ?? []) {
          if (result.ModelPackage?.ModelPackageArn) changed.push(toVersion(accountId, result.ModelPackage));
        }
      }

      await this.deps.versions.replaceGroups(accountId, groups);
      await this.deps.versions.upsertVersions(changed);
      const newest = changed.reduce<Date | undefined>(
        (max, v) => (!max || v.lastModifiedAt > max ? v.lastModifiedAt : max),
        cursor,
      );
      await this.deps.accounts.recordSuccess(accountId, startedAt, newest);
      return { accountId, ok: true, groups: groups.length, versionsRead: changed.length };
    } catch (e: any) {
      const error = `${e?.name ?? 'Error'}: ${e?.message ?? String(e)}`;
      this.deps.logger.warn(`ML registry sync of account ${account.name} (${accountId}) failed; keeping its last good data`, { error });
      await this.deps.accounts.recordFailure(accountId, error, new Date());
      return { accountId, ok: false, error };
    }
  }

  /** Syncs every account, at most `concurrency` at a time; one failing never stops the others. */
  async syncAll(accounts: MlAccount[], concurrency: number): Promise<AccountSyncResult[]> {
    const results: AccountSyncResult[] = [];
    const queue = [...accounts];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        results.push(await this.sync(next));
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
    return results;
  }
}
