import { Zod } from './zod';

/**
 * The optional `owner` input of an action that tags what it creates with its
 * owning team (the `backstage-owner` tag the catalog reads); `recordedAs`
 * says where the tag goes.
 */
export const ownerField = (recordedAs: string) => (z: Zod) =>
  z
    .string()
    .regex(
      /^(user|group):[^/]+\/.+$/,
      'an entity ref such as group:default/fraud-ds',
    )
    .optional()
    .describe(`The owning team, recorded as ${recordedAs}`);
