import { Zod } from './zod';

/**
 * The `account` input of an action acting in one account, named as under
 * `mlRegistry.accounts`; `which` says which account the action wants.
 */
export const accountField = (which: string) => (z: Zod) =>
  z.string().min(1).describe(`${which}, by its name under mlRegistry.accounts`);
