import { createHash } from 'node:crypto';

/**
 * A valid, stable entity name for a named AWS object in an account. Account
 * names are unique, so names cannot collide across accounts; names past 63
 * characters are shortened with a hash of the whole. The catalog module names
 * entities with it, and templates and lineage use it to link to them.
 *
 * @public
 */
export function entityName(accountName: string, objectName: string): string {
  const name = `${accountName}--${objectName}`;
  if (name.length <= 63) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, 54).replace(/[-_.]+$/, '')}-${hash}`;
}

/**
 * The entity name of a model package group's ai-model.
 *
 * @public
 */
export const modelEntityName = entityName;

/**
 * A dataset's name: readable from the end of its location, unique by a hash of all of it.
 *
 * @public
 */
export function datasetEntityName(location: string): string {
  const hash = createHash('sha256').update(location).digest('hex').slice(0, 8);
  const tail =
    location
      .replace(/^[a-z0-9-]+:\/\//, '')
      .split(/[/:]/)
      .filter(Boolean)
      .pop() ?? '';
  const slug = tail
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `dataset--${slug ? `${slug}-` : ''}${hash}`;
}
