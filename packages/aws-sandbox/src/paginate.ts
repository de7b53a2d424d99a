import { validation } from './errors';
import { Input, num } from './validate';

/** Pages a sorted list the way AWS does: an opaque NextToken and MaxResults. */
export function paginate<T>(items: T[], input: Input, maxLimit = 100) {
  const max = num(input, 'MaxResults', 1, maxLimit, maxLimit);
  let start = 0;
  if (input.NextToken !== undefined) {
    start = Number(
      Buffer.from(String(input.NextToken), 'base64url').toString(),
    );
    if (!Number.isInteger(start) || start < 0) {
      throw validation(`Invalid pagination token '${input.NextToken}'`);
    }
  }
  const page = items.slice(start, start + max);
  const next =
    start + max < items.length
      ? Buffer.from(String(start + max)).toString('base64url')
      : undefined;
  return { page, NextToken: next };
}

export function sortBy<T extends Record<string, any>>(
  items: T[],
  field: string,
  order?: string,
) {
  const direction = order === 'Ascending' ? 1 : -1;
  return [...items].sort((a, b) => {
    if (a[field] === b[field]) return 0;
    return a[field] < b[field] ? -direction : direction;
  });
}
