import { useEffect, useRef, useState } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';

/** Signals arriving closer together than this make one refresh. */
const SETTLE_MS = 300;
/** With signals, a poll only in case the connection dropped a message. */
const SAFETY_POLL_MS = 30_000;

/**
 * A number that grows each time one of the channels signals a change (two
 * channels at most: hooks are called a fixed number of times). While `poll`
 * is set it also grows every `pollMs` where signals are not installed, and
 * every 30 s where they are, in case a connection dropped a message.
 * Components read their data again when it changes.
 */
export function useRefreshOnSignals(
  channels: [string, string?],
  options: { poll: boolean; pollMs: number },
): number {
  const first = useSignal(channels[0]);
  const second = useSignal(channels[1] ?? channels[0]);
  const [tick, setTick] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => {
    if (!first.lastSignal && !second.lastSignal) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setTick(t => t + 1), SETTLE_MS);
  }, [first.lastSignal, second.lastSignal]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const everyMs = first.isSignalsAvailable
    ? Math.max(options.pollMs, SAFETY_POLL_MS)
    : options.pollMs;
  useEffect(() => {
    if (!options.poll) return undefined;
    const poll = setInterval(() => setTick(t => t + 1), everyMs);
    return () => clearInterval(poll);
  }, [options.poll, everyMs]);
  return tick;
}
