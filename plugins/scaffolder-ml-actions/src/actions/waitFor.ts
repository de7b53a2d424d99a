/**
 * Polls `check` until it returns a result, logging each state it reports so
 * the task log shows progress, and fails after `timeoutSeconds`.
 */
export async function waitFor<T>(options: {
  what: string;
  check: () => Promise<{ done: T } | { state: string }>;
  log: (message: string) => void;
  pollMs: number;
  timeoutSeconds: number;
}): Promise<T> {
  const started = Date.now();
  for (;;) {
    const result = await options.check();
    if ('done' in result) return result.done;
    const waited = Math.round((Date.now() - started) / 1000);
    if (waited > options.timeoutSeconds) {
      throw new Error(
        `${options.what} still ${result.state} after ${options.timeoutSeconds} s`,
      );
    }
    options.log(`${options.what} is ${result.state} (${waited} s)`);
    await new Promise(r => setTimeout(r, options.pollMs));
  }
}
