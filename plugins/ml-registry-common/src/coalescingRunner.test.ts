import { coalescingRunner } from './coalescingRunner';

describe('coalescingRunner', () => {
  it('runs once more after the run under way, however many calls came meanwhile', async () => {
    const runs: string[] = [];
    let release!: () => void;
    const runner = coalescingRunner(async (key: string) => {
      runs.push(key);
      if (runs.length === 1) await new Promise<void>(r => (release = r));
    });
    const first = runner('a');
    const during = [runner('a'), runner('a'), runner('a')];
    const other = runner('b');
    release();
    await Promise.all([first, ...during, other]);
    expect(runs).toEqual(['a', 'b', 'a']);
    await runner('a');
    expect(runs).toEqual(['a', 'b', 'a', 'a']);
  });

  it('lets a failed run end the runs under way, and runs afresh on the next call', async () => {
    let fail = true;
    const runner = coalescingRunner(async () => {
      if (fail) throw new Error('down');
    });
    await expect(runner(1)).rejects.toThrow('down');
    fail = false;
    await expect(runner(1)).resolves.toBeUndefined();
  });
});
