import type { ModelVersionRecord } from '../database/VersionStore';

type Waiting = {
  batch: ModelVersionRecord[];
  resolve: (newStates: ModelVersionRecord[]) => void;
  reject: (error: unknown) => void;
};

/**
 * The version writes of every account, at most `writers` statements at a time,
 * the batches waiting meanwhile written together, up to `maxRows` a statement.
 *
 * Hundreds of accounts read at once would otherwise queue their writes in the
 * database pool, where a wait longer than its acquire timeout fails the account
 * (as 1,000 accounts did), and leave no connection for the cursor reads and the
 * API. Written together, a first sync of 200 accounts made a tenth of the
 * statements and commits, where a statement a page cost PostgreSQL more than
 * the backend itself. Idle, a batch is written alone at once.
 *
 * A statement that fails is tried again batch by batch, so that one account's
 * version the database refuses fails that account only.
 */
export class VersionWriter {
  private readonly waiting: Waiting[] = [];
  private running = 0;

  constructor(
    private readonly upsert: (
      versions: ModelVersionRecord[],
    ) => Promise<ModelVersionRecord[]>,
    private readonly writers: number,
    private readonly maxRows: number,
  ) {}

  /** Writes a batch; resolves to its versions seen in a new approval state. */
  write(batch: ModelVersionRecord[]): Promise<ModelVersionRecord[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ batch, resolve, reject });
      this.next();
    });
  }

  private next() {
    while (this.running < this.writers && this.waiting.length > 0) {
      const taken = [this.waiting.shift()!];
      let rows = taken[0].batch.length;
      while (
        this.waiting.length > 0 &&
        rows + this.waiting[0].batch.length <= this.maxRows
      ) {
        rows += this.waiting[0].batch.length;
        taken.push(this.waiting.shift()!);
      }
      this.running++;
      this.flush(taken).finally(() => {
        this.running--;
        this.next();
      });
    }
  }

  private async flush(taken: Waiting[]) {
    try {
      const changed = new Set(
        (await this.upsert(taken.flatMap(w => w.batch))).map(v => v.arn),
      );
      for (const w of taken) w.resolve(w.batch.filter(v => changed.has(v.arn)));
    } catch (error) {
      if (taken.length === 1) taken[0].reject(error);
      else for (const w of taken) await this.flush([w]);
    }
  }
}
