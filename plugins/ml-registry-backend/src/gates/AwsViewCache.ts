import {
  ChecklistItem,
  MlAccount,
  Staleness,
} from '@ml-governance/plugin-ml-registry-common';
import { ModelVersionRecord } from '../database/VersionStore';
import { AccountUnreachableError, reaching } from './AccountUnreachableError';
import { AwsReadQueue } from './AwsReadQueue';
import { PipelineApproval } from './pipelineApproval';

/** What views read from AWS about a central version. */
export interface AwsView {
  approval?: PipelineApproval;
  checklist?: ChecklistItem[];
  /** Set when the account could not be reached and this is the last view read. */
  stale?: Staleness;
}

const VIEW_CACHE_MS = 2000;
/** Versions whose view is kept: enough for every page open at once, bounded whatever readers ask for. */
const VIEW_CACHE_MAX = 1000;

function remember<V>(cache: Map<string, V>, arn: string, value: V) {
  cache.delete(arn);
  cache.set(arn, value);
  // Maps keep insertion order: the first key is the least recently read.
  if (cache.size > VIEW_CACHE_MAX) cache.delete(cache.keys().next().value!);
}

/**
 * What views read from AWS about a central version (the pipeline state and,
 * while the governance gate waits, its checklist), as last read: open model
 * pages re-read the gates every few seconds, and many viewers need not mean
 * many AWS calls. One read per version at a time, whoever asks; at most
 * VIEW_CACHE_MAX versions kept; reads per account bounded by `reads`.
 * Decisions always read afresh (they need the current approval token).
 */
export class AwsViewCache {
  private readonly views = new Map<
    string,
    { at: number; value: Promise<AwsView> }
  >();
  private readonly reads = new AwsReadQueue({ concurrency: 4, queue: 32 });
  /**
   * Each version's last view read from AWS, answered (stale, with the account
   * and since when) while its account cannot be reached; bounded as the cache.
   */
  private readonly lastRead = new Map<string, { at: Date; view: AwsView }>();

  constructor(
    private readonly read: (central: ModelVersionRecord) => Promise<AwsView>,
  ) {}

  view(central: ModelVersionRecord, account: MlAccount): Promise<AwsView> {
    const hit = this.views.get(central.arn);
    if (hit && Date.now() - hit.at < VIEW_CACHE_MS) return hit.value;
    const value = this.reads
      .run(central.accountId, () =>
        reaching(account, async () => {
          const view = await this.read(central);
          remember(this.lastRead, central.arn, { at: new Date(), view });
          return view;
        }),
      )
      .catch(e => this.lastViewOf(central, account, e));
    remember(this.views, central.arn, { at: Date.now(), value });
    return value;
  }

  /** Forgets the view of a version its caller just changed in AWS. */
  forget(arn: string) {
    this.views.delete(arn);
  }

  private lastViewOf(
    central: ModelVersionRecord,
    account: MlAccount,
    e: unknown,
  ): AwsView {
    const last = this.lastRead.get(central.arn);
    if (e instanceof AccountUnreachableError && last) {
      return {
        ...last.view,
        stale: {
          since: last.at.toISOString(),
          account: { accountId: account.accountId, name: account.name },
          reason: e.reason,
        },
      };
    }
    this.views.delete(central.arn);
    throw e;
  }
}
