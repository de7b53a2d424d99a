import { waitFor } from './waitFor';

describe('waitFor', () => {
  it('logs each state until done, and returns the result', async () => {
    const states = ['Pending', 'Pending', 'InService'];
    const log = jest.fn();
    const result = await waitFor({
      what: 'Domain x',
      log,
      pollMs: 1,
      timeoutSeconds: 10,
      check: async () => {
        const state = states.shift()!;
        return state === 'InService' ? { done: 42 } : { state };
      },
    });
    expect(result).toBe(42);
    expect(log.mock.calls.map(c => c[0])).toEqual([
      'Domain x is Pending (0 s)',
      'Domain x is Pending (0 s)',
    ]);
  });

  it('gives up after the timeout, saying what it waited for and its last state', async () => {
    await expect(
      waitFor({
        what: 'Domain x',
        log: () => {},
        pollMs: 400,
        timeoutSeconds: 0,
        check: async () => ({ state: 'Pending' }),
      }),
    ).rejects.toThrow('Domain x still Pending after 0 s');
  });
});
