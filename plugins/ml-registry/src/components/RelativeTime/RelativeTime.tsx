import { useEffect, useState } from 'react';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

// Built once: a table of 100 versions would otherwise build 200 formatters a render.
const relativeFormat = new Intl.RelativeTimeFormat(undefined, {
  numeric: 'auto',
});
const exactFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'long',
});

/** How long ago (or in how long) `at` is from `now`, as people say it: "3 minutes ago". */
export function relativeTime(at: Date, now: number): string {
  const seconds = Math.round((at.getTime() - now) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size)
      return relativeFormat.format(Math.trunc(seconds / size), unit);
  }
  return Math.abs(seconds) < 10
    ? relativeFormat.format(0, 'second')
    : relativeFormat.format(seconds, 'second');
}

const TICK_MS = 30_000;

/**
 * One clock for every relative time on the page, renewed every 30 s so they
 * stay true on an open page: one timer, not one per time shown.
 */
const clock = {
  now: Date.now(),
  timer: undefined as ReturnType<typeof setInterval> | undefined,
  listeners: new Set<(now: number) => void>(),
  /** The time, read fresh while no timer keeps it. */
  read: () => (clock.timer ? clock.now : Date.now()),
  subscribe(listener: (now: number) => void) {
    clock.listeners.add(listener);
    if (!clock.timer) {
      clock.now = Date.now();
      clock.timer = setInterval(() => {
        clock.now = Date.now();
        clock.listeners.forEach(l => l(clock.now));
      }, TICK_MS);
    }
    return () => {
      clock.listeners.delete(listener);
      if (clock.listeners.size === 0) {
        clearInterval(clock.timer);
        clock.timer = undefined;
      }
    };
  },
};

function useNow(): number {
  const [now, setNow] = useState(clock.read);
  useEffect(() => clock.subscribe(setNow), []);
  return now;
}

/**
 * A time as people read it ("5 minutes ago"), with the exact time as its
 * title (shown on hover, and read by screen readers); an unreadable value
 * shows as it came.
 */
export function RelativeTime(props: { at: string }) {
  const now = useNow();
  const date = new Date(props.at);
  if (Number.isNaN(date.getTime())) return <>{props.at}</>;
  return (
    <time dateTime={props.at} title={exactFormat.format(date)}>
      {relativeTime(date, now)}
    </time>
  );
}
