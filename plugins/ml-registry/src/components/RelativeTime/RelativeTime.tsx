import { useEffect, useState } from 'react';
import { Tooltip } from '@material-ui/core';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** How long ago (or in how long) `at` is from `now`, as people say it: "3 minutes ago". */
export function relativeTime(at: Date, now: number): string {
  const seconds = Math.round((at.getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size)
      return format.format(Math.trunc(seconds / size), unit);
  }
  return Math.abs(seconds) < 10
    ? format.format(0, 'second')
    : format.format(seconds, 'second');
}

/** The current time, renewed every `everyMs` so relative times stay true on an open page. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * A time as people read it ("5 minutes ago"), with the exact time on hover
 * (and as the element's title for screen readers); an unreadable value shows
 * as it came.
 */
export function RelativeTime(props: { at: string }) {
  const now = useNow(30_000);
  const date = new Date(props.at);
  if (Number.isNaN(date.getTime())) return <>{props.at}</>;
  const exact = date.toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'long',
  });
  return (
    <Tooltip title={exact}>
      <time dateTime={props.at}>{relativeTime(date, now)}</time>
    </Tooltip>
  );
}
