/**
 * Wraps `run` so that a call while a run for the same key is under way does
 * not start a second one alongside it, nor is it lost: the run goes once more
 * when it ends, however many calls came meanwhile. Every caller gets the
 * promise of the run that covers its call.
 *
 * @public
 */
export function coalescingRunner<K>(
  run: (key: K) => Promise<void>,
): (key: K) => Promise<void> {
  const running = new Map<K, Promise<void>>();
  const again = new Set<K>();
  return key => {
    const current = running.get(key);
    if (current) {
      again.add(key);
      return current;
    }
    const runs = (async () => {
      do {
        again.delete(key);
        await run(key);
      } while (again.has(key));
    })().finally(() => running.delete(key));
    running.set(key, runs);
    return runs;
  };
}
