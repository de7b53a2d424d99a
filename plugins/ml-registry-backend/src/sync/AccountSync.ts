import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ListTagsCommand,
  ModelPackage,
  paginateListEndpoints,
  paginateListModelPackageGroups,
  paginateSearch,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { MlAccount } from '@ml-governance/plugin-ml-registry-common';
import { AwsClientFactory } from '@ml-governance/plugin-ml-registry-node';
import { metrics } from '@opentelemetry/api';
import { AccountStore } from '../database/AccountStore';
import { EndpointRecord, EndpointStore } from '../database/EndpointStore';
import { ModelGroupRecord, ModelVersionRecord, VersionStore } from '../database/VersionStore';

/** The tag deploy pipelines put on an endpoint: the model package it serves. */
export const MODEL_PACKAGE_TAG = 'sagemaker:model-package-arn';

/** The metadata key promotion writes on a central package: the dev package it came from. */
export const SOURCE_ARN_KEY = 'source-model-package-arn';

export type AccountSyncResult =
  | { accountId: string; ok: true; groups: number; versionsRead: number; endpoints: number }
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
 * modified since the last good sync, and lists endpoints, so an unchanged
 * account costs three calls.
 * A failure leaves the account's last good data in place, marked stale.
 */
export class AccountSync {
  private readonly meter = metrics.getMeter('ml-registry');
  private readonly duration = this.meter.createHistogram('ml_registry.sync.duration', {
    description: 'Time one account sync takes', unit: 's',
  });
  private readonly errors = this.meter.createCounter('ml_registry.sync.errors', {
    description: 'Account syncs that failed',
  });
  private readonly lastGoodSync = new Map<string, number>();

  constructor(
    private readonly deps: {
      clients: AwsClientFactory;
      accounts: AccountStore;
      versions: VersionStore;
      endpoints: EndpointStore;
      logger: LoggerService;
    },
  ) {
    this.meter
      .createObservableGauge('ml_registry.sync.lag', {
        description: 'Time since the last good sync of each account', unit: 's',
      })
      .addCallback(result => {
        for (const [accountId, at] of this.lastGoodSync) {
          result.observe((Date.now() - at) / 1000, { account_id: accountId });
        }
      });
  }

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

      const endpoints = await this.readEndpoints(sagemaker, accountId);

      await this.deps.versions.replaceGroups(accountId, groups);
      await this.deps.versions.upsertVersions(changed);
      await this.deps.endpoints.replaceEndpoints(accountId, endpoints);
      const newest = changed.reduce<Date | undefined>(
        (max, v) => (!max || v.lastModifiedAt > max ? v.lastModifiedAt : max),
        cursor,
      );
      await this.deps.accounts.recordSuccess(accountId, startedAt, newest);
      this.lastGoodSync.set(accountId, startedAt.getTime());
      this.duration.record((Date.now() - startedAt.getTime()) / 1000, { account_id: accountId, outcome: 'ok' });
      return { accountId, ok: true, groups: groups.length, versionsRead: changed.length, endpoints: endpoints.length };
    } catch (e: any) {
      const error = `${e?.name ?? 'Error'}: ${e?.message ?? String(e)}`;
      this.deps.logger.warn(`ML registry sync of account ${account.name} (${accountId}) failed; keeping its last good data`, { error });
      await this.deps.accounts.recordFailure(accountId, error, new Date());
      this.errors.add(1, { account_id: accountId, error: e?.name ?? 'Error' });
      this.duration.record((Date.now() - startedAt.getTime()) / 1000, { account_id: accountId, outcome: 'failed' });
      return { accountId, ok: false, error };
    }
  }

  /**
   * Lists the account's endpoints; reads the tags (which model package each
   * serves) only of endpoints new or modified since the last sync.
   */
  private async readEndpoints(sagemaker: SageMakerClient, accountId: string): Promise<EndpointRecord[]> {
    const known = new Map((await this.deps.endpoints.listEndpoints(accountId)).map(e => [e.arn, e]));
    const endpoints: EndpointRecord[] = [];
    for await (const page of paginateListEndpoints({ client: sagemaker }, { MaxResults: 100 })) {
      for (const e of page.Endpoints ?? []) {
        const lastModifiedAt = e.LastModifiedTime ?? e.CreationTime!;
        const previous = known.get(e.EndpointArn!);
        let modelPackageArn = previous?.modelPackageArn;
        if (!previous || previous.lastModifiedAt.getTime() !== lastModifiedAt.getTime()) {
          const { Tags = [] } = await sagemaker.send(new ListTagsCommand({ ResourceArn: e.EndpointArn }));
          modelPackageArn = Tags.find(t => t.Key === MODEL_PACKAGE_TAG)?.Value;
        }
        endpoints.push({
          arn: e.EndpointArn!, accountId, name: e.EndpointName!, status: e.EndpointStatus ?? 'Unknown',
          ...(modelPackageArn ? { modelPackageArn } : {}),
          createdAt: e.CreationTime!, lastModifiedAt,
        });
      }
    }
    return endpoints;
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
