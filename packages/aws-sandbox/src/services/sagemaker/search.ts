import { paginate, sortBy } from '../../paginate';
import { AccountState, Json } from '../../state';
import { Input } from '../../validate';

type Filter = { Name: string; Operator?: string; Value?: string };

function fieldValue(item: Json, name: string): unknown {
  return name.split('.').reduce<any>((v, key) => v?.[key], item);
}

/** Times arrive as ISO strings or epoch seconds; compare them as numbers. */
function comparable(value: unknown, filterValue: string): [unknown, unknown] {
  if (typeof value === 'number') {
    const asNumber = Number(filterValue);
    return [
      value,
      Number.isNaN(asNumber) ? Date.parse(filterValue) / 1000 : asNumber,
    ];
  }
  return [value, filterValue];
}

function matches(item: Json, filter: Filter): boolean {
  const value = fieldValue(item, filter.Name);
  const op = filter.Operator ?? 'Equals';
  if (op === 'Exists') return value !== undefined;
  if (op === 'NotExists') return value === undefined;
  const [a, b] = comparable(value, String(filter.Value ?? ''));
  switch (op) {
    case 'Equals':
      return String(a) === String(b) || a === b;
    case 'NotEquals':
      return String(a) !== String(b);
    case 'GreaterThan':
      return (a as any) > (b as any);
    case 'GreaterThanOrEqualTo':
      return (a as any) >= (b as any);
    case 'LessThan':
      return (a as any) < (b as any);
    case 'LessThanOrEqualTo':
      return (a as any) <= (b as any);
    case 'Contains':
      return typeof a === 'string' && a.includes(String(b));
    case 'In':
      return String(filter.Value).split(',').includes(String(a));
    default:
      return false;
  }
}

/**
 * SageMaker Search over model packages or groups: AND-ed filters, sorting (by
 * LastModifiedTime, CreationTime or any field) and pagination, as incremental
 * sync needs.
 */
export function searchModelPackages(
  account: AccountState,
  resource: 'ModelPackage' | 'ModelPackageGroup',
  input: Input,
) {
  // The contract has checked the filters' names, operators and count against the model.
  const filters: Filter[] = input.SearchExpression?.Filters ?? [];
  const sortField: string = input.SortBy ?? 'CreationTime';
  const [items, arnOf] =
    resource === 'ModelPackage'
      ? [Object.values(account.modelPackages), 'ModelPackageArn']
      : [Object.values(account.modelPackageGroups), 'ModelPackageGroupArn'];
  const withTags = (item: Json) => ({
    ...item,
    Tags: account.tags[item[arnOf]] ?? [],
  });
  // Tags are copied onto the page's items only: copying every item of the account for every page
  // was most of the sandbox's CPU in a first sync. Unless a filter or the sort reads them.
  const readsTags = [sortField, ...filters.map(f => f.Name)].some(name =>
    name.startsWith('Tags'),
  );
  const candidates = readsTags ? items.map(withTags) : items;
  const found = filters.length
    ? candidates.filter(item => filters.every(f => matches(item, f)))
    : candidates;
  const sorted = sortBy(found, sortField, input.SortOrder ?? 'Descending');
  const { page, NextToken } = paginate(sorted, input);
  return {
    Results: page.map(item => ({
      [resource]: readsTags ? item : withTags(item),
    })),
    NextToken,
  };
}
