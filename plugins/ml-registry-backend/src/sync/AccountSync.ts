import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DescribeModelCardCommand,
  ListTagsCommand,
  ModelPackage,
  paginateListDomains,
  paginateListEndpoints,
  paginateListModelCards,
  paginateListModelPackageGroups,
  paginateListProjects,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  AccountStage,
  MlAccount,
} from '@ml-governance/plugin-ml-registry-common';
import { AwsClientFactory } from '@ml-governance/plugin-ml-registry-node';
import { metrics } from '@opentelemetry/api';
import { AccountStore } from '../database/AccountStore';
import { EndpointRecord, EndpointStore } from '../database/EndpointStore';
import { ModelCardRecord, ModelCardStore } from '../database/ModelCardStore';
import {
  AccountResourceRecord,
  ResourceStore,
} from '../database/ResourceStore';
import {
  ModelGroupRecord,
  ModelVersionRecord,
  VersionStore,
} from '../database/VersionStore';
import { awsIdentity } from './awsIdentity';
import { readServedPackage } from './readServedPackage';
import { searchModelPackages } from './searchModelPackages';
import { VersionWriter } from './VersionWriter';

/**
 * Versions handed to the writer at a time: one Search page. With one write in
 * flight while the next page is read, an account holds about two pages at
 * most. (Three pages a batch measured the same backend CPU and peak memory,
 * within the benchmark's noise; the writer joins the batches of accounts.)
 */
const WRITE_BATCH = 100;
/** Version writes at once, across accounts: fewer than the database pool's connections. */
const WRITERS = 4;
/** Versions a statement at most, batches of several accounts together. */
const STATEMENT_ROWS = 1000;

/** The tag deploy pipelines put on an endpoint: the model package it serves. */
export const MODEL_PACKAGE_TAG = 'sagemaker:model-package-arn';

/** The metadata key promotion writes on a central package: the dev package it came from. */
export const SOURCE_ARN_KEY = 'source-model-package-arn';

/** The metadata key experiment pipelines write on a package: where its training data came from. */
export const TRAINING_DATA_KEY = 'training-data';

export type AccountSyncResult =
  | {
      accountId: string;
      ok: true;
      groups: number;
      versionsRead: number;
      endpoints: number;
      /** Whether the account's catalog entities may have changed. */
      entitiesChanged: boolean;
    }
  | { accountId: string; ok: false; error: string };

/**
 * A model package as the store keeps it: only the fields it has, so a record
 * compares equal to one read back. Fields are set one by one rather than
 * spread from conditional objects: a first sync makes 200,000 of these.
 */
export function toVersion(
  account: Pick<MlAccount, 'accountId' | 'stage'>,
  p: ModelPackage,
): ModelVersionRecord {
  const metadata = p.CustomerMetadataProperties ?? {};
  const v: ModelVersionRecord = {
    arn: p.ModelPackageArn!,
    accountId: account.accountId,
    groupName: p.ModelPackageGroupName!,
    version: p.ModelPackageVersion!,
    approvalStatus: p.ModelApprovalStatus ?? 'PendingManualApproval',
    createdAt: p.CreationTime!,
    lastModifiedAt: p.LastModifiedTime ?? p.CreationTime!,
    metadata,
  };
  if (p.ApprovalDescription) v.approvalDescription = p.ApprovalDescription;
  const createdBy = awsIdentity(p.CreatedBy);
  if (createdBy) v.createdBy = createdBy;
  const lastModifiedBy = awsIdentity(p.LastModifiedBy);
  if (lastModifiedBy) v.lastModifiedBy = lastModifiedBy;
  if (p.MetadataProperties?.ProjectId)
    v.projectId = p.MetadataProperties.ProjectId;
  if (p.MetadataProperties?.GeneratedBy)
    v.generatedBy = p.MetadataProperties.GeneratedBy;
  if (metadata[TRAINING_DATA_KEY]) v.trainingData = metadata[TRAINING_DATA_KEY];
  // A registrant writes any metadata on their own dev packages: only central ones name a source (lineage/trustedSource.ts).
  if (metadata[SOURCE_ARN_KEY] && account.stage === 'shared-services')
    v.sourceArn = metadata[SOURCE_ARN_KEY];
  const modelDataUrl = p.InferenceSpecification?.Containers?.[0]?.ModelDataUrl;
  if (modelDataUrl) v.modelDataUrl = modelDataUrl;
  return v;
}

/** What each kind of account holds, and so what its sync reads. */
const READS: Record<
  AccountStage,
  {
    registry: boolean;
    modelCards: boolean;
    endpoints: boolean;
    resources: boolean;
  }
> = {
  dev: { registry: true, modelCards: false, endpoints: false, resources: true },
  'shared-services': {
    registry: true,
    modelCards: true,
    endpoints: false,
    resources: false,
  },
  test: {
    registry: false,
    modelCards: false,
    endpoints: true,
    resources: false,
  },
  prod: {
    registry: false,
    modelCards: false,
    endpoints: true,
    resources: false,
  },
  governance: {
    registry: false,
    modelCards: false,
    endpoints: false,
    resources: false,
  },
};

/**
 * Reads one account into the store: the model registry of dev and shared
 * services accounts (the first sync pages through every version, later ones
 * ask SageMaker Search only for versions modified since the last good sync),
 * the model cards of shared services, the endpoints of test and prod, and the
 * projects and domains of dev accounts, which change rarely and are read at
 * most every `resourcesRefreshMs`. An unchanged account costs one to three
 * calls. A failure leaves the account's last good data in place, marked stale.
 */
export class AccountSync {
  private readonly meter = metrics.getMeter('ml-registry');
  private readonly duration = this.meter.createHistogram(
    'ml_registry.sync.duration',
    {
      description: 'Time one account sync takes',
      unit: 's',
    },
  );
  private readonly errors = this.meter.createCounter(
    'ml_registry.sync.errors',
    {
      description: 'Account syncs that failed',
    },
  );
  private readonly lastGoodSync = new Map<string, number>();
  private readonly writer = new VersionWriter(
    versions => this.deps.versions.upsertVersions(versions),
    WRITERS,
    STATEMENT_ROWS,
  );

  constructor(
    private readonly deps: {
      clients: AwsClientFactory;
      accounts: AccountStore;
      versions: VersionStore;
      endpoints: EndpointStore;
      modelCards: ModelCardStore;
      resources: ResourceStore;
      logger: LoggerService;
      /** How old projects and domains may get before a sync reads them again. Default 30 minutes. */
      resourcesRefreshMs?: number;
      /** Told after a sync that may have changed the account's catalog entities. */
      onEntitiesChanged?: (accountId: string) => Promise<void>;
      /** Told of versions seen in a new approval state, except on an account's first sync. */
      onNewStates?: (versions: ModelVersionRecord[]) => Promise<void>;
    },
  ) {
    this.meter
      .createObservableGauge('ml_registry.sync.lag', {
        description: 'Time since the last good sync of each account',
        unit: 's',
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
      const read = await this.readAccount(account);
      const entitiesChanged = await this.applyReads(accountId, read);
      await this.deps.accounts.recordSuccess(accountId, startedAt, {
        versionsCursor: read.registry?.cursor,
        resourcesSyncedAt: read.resources ? startedAt : undefined,
      });
      this.lastGoodSync.set(accountId, startedAt.getTime());
      if (entitiesChanged) await this.deps.onEntitiesChanged?.(accountId);
      const { registry, endpoints } = read;
      if (registry?.newStates.length && registry.hadCursor)
        await this.deps.onNewStates?.(registry.newStates);
      this.duration.record((Date.now() - startedAt.getTime()) / 1000, {
        account_id: accountId,
        outcome: 'ok',
      });
      return {
        accountId,
        ok: true,
        groups: registry?.groups.length ?? 0,
        versionsRead: registry?.versionsRead ?? 0,
        endpoints: endpoints?.length ?? 0,
        entitiesChanged,
      };
    } catch (e: any) {
      const error = `${e?.name ?? 'Error'}: ${e?.message ?? String(e)}`;
      this.deps.logger.warn(
        `ML registry sync of account ${account.name} (${accountId}) failed; keeping its last good data`,
        { error },
      );
      await this.deps.accounts.recordFailure(accountId, error, new Date());
      this.errors.add(1, { account_id: accountId, error: e?.name ?? 'Error' });
      this.duration.record((Date.now() - startedAt.getTime()) / 1000, {
        account_id: accountId,
        outcome: 'failed',
      });
      return { accountId, ok: false, error };
    }
  }

  /**
   * Reads what the account's kind holds. Versions are stored page by page as
   * they arrive: they are true reads whatever happens next, and the cursor
   * moves only once the whole account has been read.
   */
  private async readAccount(account: MlAccount) {
    const { accountId } = account;
    const reads = READS[account.stage];
    const sagemaker = await this.deps.clients.create(
      SageMakerClient,
      accountId,
    );
    const registry = reads.registry
      ? await this.readRegistry(sagemaker, account)
      : undefined;
    const cards = reads.modelCards
      ? await this.readModelCards(sagemaker, accountId)
      : undefined;
    const endpoints = reads.endpoints
      ? await this.readEndpoints(sagemaker, accountId)
      : undefined;
    const resourcesDue =
      reads.resources &&
      ((await this.deps.accounts.resourcesDue(
        accountId,
        this.deps.resourcesRefreshMs ?? 30 * 60_000,
      )) ||
        // A version of a project not seen yet (just created, e.g. from a template) brings its project in now.
        (await this.hasUnknownProject(
          accountId,
          registry?.newProjects ?? new Set(),
        )));
    const resources = resourcesDue
      ? await this.readResources(sagemaker, accountId)
      : undefined;
    return { registry, cards, endpoints, resources };
  }

  /**
   * Writes what was read, removals included: only once everything was read, so
   * a failure halfway removes nothing. Returns whether the account's catalog
   * entities may have changed.
   */
  private async applyReads(
    accountId: string,
    read: Awaited<ReturnType<AccountSync['readAccount']>>,
  ): Promise<boolean> {
    const { registry, cards, endpoints, resources } = read;
    let entitiesChanged = false;
    if (registry) {
      entitiesChanged =
        (await this.deps.versions.replaceGroups(accountId, registry.groups)) ||
        registry.versionsRead > 0;
    }
    if (cards)
      await this.deps.modelCards.replace(
        accountId,
        cards.present,
        cards.changed,
      );
    if (endpoints)
      entitiesChanged =
        (await this.deps.endpoints.replaceEndpoints(accountId, endpoints)) ||
        entitiesChanged;
    if (resources) {
      const projects = await this.deps.resources.replace(
        accountId,
        'project',
        resources.projects,
      );
      const domains = await this.deps.resources.replace(
        accountId,
        'domain',
        resources.domains,
      );
      entitiesChanged = projects || domains || entitiesChanged;
    }
    return entitiesChanged;
  }

  /**
   * Stores the versions modified since the account's cursor, then lists every
   * group. Groups come second so that a group created meanwhile is listed with
   * the versions already read, rather than those versions being dropped as
   * orphans behind an advanced cursor.
   */
  private async readRegistry(sagemaker: SageMakerClient, account: MlAccount) {
    const cursor = await this.deps.accounts.versionsCursor(account.accountId);
    const stored = await this.storeVersions(
      account,
      searchModelPackages(sagemaker, {
        MaxResults: 100,
        SortBy: 'LastModifiedTime',
        SortOrder: 'Ascending',
        // Equal, not only greater: versions modified in the cursor's own instant are read again, harmlessly.
        ...(cursor
          ? {
              SearchExpression: {
                Filters: [
                  {
                    Name: 'LastModifiedTime',
                    Operator: 'GreaterThanOrEqualTo',
                    Value: cursor.toISOString(),
                  },
                ],
              },
            }
          : {}),
      }),
      // A first sync tells no one of states (every version is new), so it keeps none.
      !!cursor,
    );
    const groups = await this.listGroups(sagemaker, account.accountId);
    return {
      ...stored,
      groups,
      cursor:
        stored.newest && (!cursor || stored.newest > cursor)
          ? stored.newest
          : cursor,
      hadCursor: !!cursor,
    };
  }

  /**
   * Stores versions page by page as they are read. A batch is written while the
   * next pages are read, and at most one write is waiting at a time, so an
   * account holds a few pages in memory, never its whole listing.
   */
  private async storeVersions(
    account: MlAccount,
    pages: AsyncIterable<ModelPackage[]>,
    keepNewStates: boolean,
  ) {
    let newest: Date | undefined;
    let versionsRead = 0;
    const newStates: ModelVersionRecord[] = [];
    const newProjects = new Set<string>();
    let writing: Promise<void> = Promise.resolve();
    const write = async (batch: ModelVersionRecord[]) => {
      for (const v of await this.writer.write(batch)) {
        if (v.projectId) newProjects.add(v.projectId);
        if (keepNewStates) newStates.push(v);
      }
      versionsRead += batch.length;
    };
    let pending: ModelVersionRecord[] = [];
    for await (const packages of pages) {
      for (const p of packages) {
        const version = toVersion(account, p);
        pending.push(version);
        if (!newest || version.lastModifiedAt > newest)
          newest = version.lastModifiedAt;
      }
      if (pending.length >= WRITE_BATCH) {
        await writing;
        writing = write(pending);
        // Surfaced by the next await of `writing`; kept from being an unhandled rejection meanwhile.
        writing.catch(() => {});
        pending = [];
      }
    }
    await writing;
    await write(pending);
    return { newest, versionsRead, newStates, newProjects };
  }

  /** Lists every model package group of the account. */
  private async listGroups(sagemaker: SageMakerClient, accountId: string) {
    const groups: ModelGroupRecord[] = [];
    for await (const page of paginateListModelPackageGroups(
      { client: sagemaker },
      { MaxResults: 100 },
    )) {
      for (const g of page.ModelPackageGroupSummaryList ?? []) {
        groups.push({
          arn: g.ModelPackageGroupArn!,
          accountId,
          name: g.ModelPackageGroupName!,
          description: g.ModelPackageGroupDescription,
          createdAt: g.CreationTime!,
        });
      }
    }
    return groups;
  }

  /** Lists the cards; describes only those modified since the last sync. */
  private async readModelCards(sagemaker: SageMakerClient, accountId: string) {
    const known = await this.deps.modelCards.modifiedTimes(accountId);
    const present: string[] = [];
    const changed: ModelCardRecord[] = [];
    for await (const page of paginateListModelCards(
      { client: sagemaker },
      { MaxResults: 100 },
    )) {
      for (const summary of page.ModelCardSummaries ?? []) {
        present.push(summary.ModelCardName!);
        const modified = summary.LastModifiedTime ?? summary.CreationTime;
        if (
          modified &&
          known.get(summary.ModelCardName!) === modified.getTime()
        )
          continue;
        const card = await sagemaker.send(
          new DescribeModelCardCommand({
            ModelCardName: summary.ModelCardName,
          }),
        );
        changed.push({
          arn: card.ModelCardArn!,
          accountId,
          name: card.ModelCardName!,
          version: card.ModelCardVersion!,
          status: card.ModelCardStatus ?? 'Draft',
          content: card.Content,
          lastModifiedAt: card.LastModifiedTime ?? card.CreationTime!,
        });
      }
    }
    return { present, changed };
  }

  private async hasUnknownProject(
    accountId: string,
    ids: Set<string>,
  ): Promise<boolean> {
    if (ids.size === 0) return false;
    const known = new Set(
      (await this.deps.resources.list('project'))
        .filter(p => p.accountId === accountId)
        .map(p => p.resourceId),
    );
    return [...ids].some(id => !known.has(id));
  }

  private async readResources(sagemaker: SageMakerClient, accountId: string) {
    const projects: AccountResourceRecord[] = [];
    for await (const page of paginateListProjects(
      { client: sagemaker },
      { MaxResults: 100 },
    )) {
      for (const p of page.ProjectSummaryList ?? []) {
        projects.push({
          arn: p.ProjectArn!,
          accountId,
          kind: 'project',
          resourceId: p.ProjectId!,
          name: p.ProjectName!,
          description: p.ProjectDescription,
          status: p.ProjectStatus,
          createdAt: p.CreationTime!,
        });
      }
    }
    const domains: AccountResourceRecord[] = [];
    for await (const page of paginateListDomains(
      { client: sagemaker },
      { MaxResults: 100 },
    )) {
      for (const d of page.Domains ?? []) {
        domains.push({
          arn: d.DomainArn!,
          accountId,
          kind: 'domain',
          resourceId: d.DomainId!,
          name: d.DomainName!,
          status: d.Status,
          createdAt: d.CreationTime!,
        });
      }
    }
    return { projects, domains };
  }

  /**
   * Lists the account's endpoints; reads which model package each runs (its
   * config's model, or else its tag) only of endpoints new or modified since
   * the last sync.
   */
  private async readEndpoints(
    sagemaker: SageMakerClient,
    accountId: string,
  ): Promise<EndpointRecord[]> {
    const known = new Map(
      (await this.deps.endpoints.listEndpoints({ accountId })).map(e => [
        e.arn,
        e,
      ]),
    );
    const endpoints: EndpointRecord[] = [];
    for await (const page of paginateListEndpoints(
      { client: sagemaker },
      { MaxResults: 100 },
    )) {
      for (const e of page.Endpoints ?? []) {
        const lastModifiedAt = e.LastModifiedTime ?? e.CreationTime!;
        const previous = known.get(e.EndpointArn!);
        let modelPackageArn = previous?.modelPackageArn;
        if (
          !previous ||
          previous.lastModifiedAt.getTime() !== lastModifiedAt.getTime()
        ) {
          modelPackageArn =
            (await readServedPackage(sagemaker, e.EndpointName!)) ??
            (await this.taggedPackage(sagemaker, e.EndpointArn!));
        }
        endpoints.push({
          arn: e.EndpointArn!,
          accountId,
          name: e.EndpointName!,
          status: e.EndpointStatus ?? 'Unknown',
          ...(modelPackageArn ? { modelPackageArn } : {}),
          createdAt: e.CreationTime!,
          lastModifiedAt,
        });
      }
    }
    return endpoints;
  }

  /** The package an endpoint's deploy pipeline tagged it with: the claim, when what is deployed cannot be read. */
  private async taggedPackage(sagemaker: SageMakerClient, arn: string) {
    const { Tags = [] } = await sagemaker.send(
      new ListTagsCommand({ ResourceArn: arn }),
    );
    return Tags.find(t => t.Key === MODEL_PACKAGE_TAG)?.Value;
  }

  /** Syncs every account, at most `concurrency` at a time; one failing never stops the others. */
  async syncAll(
    accounts: MlAccount[],
    concurrency: number,
  ): Promise<AccountSyncResult[]> {
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
