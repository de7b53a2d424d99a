import type { ModelVersionRecord } from '../database/VersionStore';
import { VersionWriter } from './VersionWriter';

const versions = (account: string, count: number) =>
  Array.from(
    { length: count },
    (_, i) => ({ arn: `${account}/${i}` } as ModelVersionRecord),
  );

const settled = () => new Promise(resolve => setImmediate(resolve));

/** An upsert that holds each statement until released, recording them. */
function heldUpsert() {
  const statements: ModelVersionRecord[][] = [];
  const releases: (() => void)[] = [];
  const upsert = (batch: ModelVersionRecord[]) => {
    statements.push(batch);
    return new Promise<ModelVersionRecord[]>(resolve =>
      releases.push(() => resolve(batch.filter((_, i) => i % 2 === 0))),
    );
  };
  return { statements, releases, upsert };
}

describe('VersionWriter', () => {
  it('writes a batch alone at once, and the batches waiting meanwhile together up to the row limit', async () => {
    const { statements, releases, upsert } = heldUpsert();
    const writer = new VersionWriter(upsert, 1, 5);
    const first = writer.write(versions('a', 2));
    const waiting = [
      writer.write(versions('b', 2)),
      writer.write(versions('c', 2)),
      writer.write(versions('d', 2)),
    ];
    expect(statements.map(s => s.length)).toEqual([2]);
    releases.shift()!();
    await first;
    await settled();
    expect(statements.map(s => s.length)).toEqual([2, 4]);
    releases.shift()!();
    await settled();
    expect(statements.map(s => s.length)).toEqual([2, 4, 2]);
    releases.shift()!();
    // Each caller is told of its own versions in a new state only.
    expect(await Promise.all(waiting)).toEqual([
      [{ arn: 'b/0' }],
      [{ arn: 'c/0' }],
      [{ arn: 'd/0' }],
    ]);
  });

  it('runs at most `writers` statements at once', async () => {
    const { statements, releases, upsert } = heldUpsert();
    const writer = new VersionWriter(upsert, 2, 1);
    const writes = ['a', 'b', 'c'].map(a => writer.write(versions(a, 1)));
    expect(statements).toHaveLength(2);
    releases.shift()!();
    await settled();
    expect(statements).toHaveLength(3);
    releases.forEach(release => release());
    await Promise.all(writes);
  });

  it('fails only the batch the database refuses when a joint statement fails', async () => {
    const upsert = jest.fn(async (batch: ModelVersionRecord[]) => {
      if (batch.some(v => v.arn.startsWith('bad/')))
        throw new Error('value too long');
      return batch;
    });
    const writer = new VersionWriter(upsert, 1, 10);
    const busy = writer.write(versions('a', 1));
    const good = writer.write(versions('b', 1));
    const bad = writer.write(versions('bad', 1));
    await busy;
    await expect(good).resolves.toEqual([{ arn: 'b/0' }]);
    await expect(bad).rejects.toThrow('value too long');
    expect(upsert.mock.calls.map(([batch]) => batch.length)).toEqual([
      1, 2, 1, 1,
    ]);
  });
});
