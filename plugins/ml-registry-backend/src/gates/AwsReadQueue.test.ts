import { AwsReadQueue, AwsReadsBusyError } from './AwsReadQueue';

describe('AwsReadQueue', () => {
  it('runs a few reads of an account at once, queues a few more, refuses the rest, and leaves other accounts alone', async () => {
    const queue = new AwsReadQueue({ concurrency: 2, queue: 1 });
    let open = () => {};
    const opened = new Promise<void>(resolve => {
      open = resolve;
    });
    let running = 0;
    let most = 0;
    const read = () =>
      queue.run('222222222222', async () => {
        most = Math.max(most, ++running);
        await opened;
        running--;
        return 'read';
      });

    const taken = [read(), read(), read()];
    await expect(read()).rejects.toThrow(
      new AwsReadsBusyError(
        'Too many reads of account 222222222222 are under way; try again in a second',
      ),
    );
    expect(await queue.run('222222222223', async () => 'other account')).toBe(
      'other account',
    );
    open();
    expect(await Promise.all(taken)).toEqual(['read', 'read', 'read']);
    expect(most).toBe(2);
    // Every slot was given back.
    expect(await Promise.all([read(), read(), read()])).toEqual([
      'read',
      'read',
      'read',
    ]);
  });

  it('gives the slot back when a read fails', async () => {
    const queue = new AwsReadQueue({ concurrency: 1, queue: 0 });
    await expect(
      queue.run('222222222222', async () => {
        throw new Error('ThrottlingException');
      }),
    ).rejects.toThrow('ThrottlingException');
    expect(await queue.run('222222222222', async () => 'next')).toBe('next');
  });
});
