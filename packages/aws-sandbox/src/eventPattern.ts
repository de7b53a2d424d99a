/**
 * Matches an event against an EventBridge event pattern: every key of the
 * pattern must match; a leaf is a list of allowed values, where a value may
 * also be `{ prefix }`, `{ exists }` or `{ "anything-but": [...] }`.
 */
export function matchesPattern(pattern: any, event: any): boolean {
  if (Array.isArray(pattern)) {
    const values = Array.isArray(event) ? event : [event];
    return pattern.some(p => values.some(v => matchValue(p, v)));
  }
  if (pattern && typeof pattern === 'object') {
    return Object.entries(pattern).every(([key, sub]) => {
      if (
        Array.isArray(sub) &&
        sub.some(s => s && typeof s === 'object' && 'exists' in s)
      ) {
        const wanted = sub.find(
          s => s && typeof s === 'object' && 'exists' in s,
        ).exists;
        return (event?.[key] !== undefined) === wanted;
      }
      return (
        event !== null &&
        typeof event === 'object' &&
        key in event &&
        matchesPattern(sub, event[key])
      );
    });
  }
  return false;
}

function matchValue(pattern: any, value: any): boolean {
  if (pattern && typeof pattern === 'object') {
    if ('prefix' in pattern)
      return typeof value === 'string' && value.startsWith(pattern.prefix);
    if ('anything-but' in pattern) {
      const excluded = [].concat(pattern['anything-but']);
      return !excluded.includes(value as never);
    }
    return false;
  }
  return pattern === value;
}
