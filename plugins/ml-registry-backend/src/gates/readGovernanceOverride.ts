import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ML_REGISTRY_BACKEND_DEFAULTS } from '../config/defaults';

/** What an approval against a failing governance checklist needs. */
export interface GovernanceOverridePolicy {
  /** The fewest characters of the written reason. Default 40. */
  minLength: number;
  /** A second, different governance officer confirms the override. Default false. */
  needsSecondOfficer: boolean;
}

const KEY = 'mlRegistry.gates.governance';
const DEFAULTS = ML_REGISTRY_BACKEND_DEFAULTS.gates.governance;

/** `mlRegistry.gates.governance.overrideMinLength` and `.overrideNeedsSecondOfficer`; a bad value stops start-up naming its key. */
export function readGovernanceOverride(
  config: Config,
): GovernanceOverridePolicy {
  const minLength =
    config.getOptionalNumber(`${KEY}.overrideMinLength`) ??
    DEFAULTS.overrideMinLength;
  if (!Number.isInteger(minLength) || minLength < 1 || minLength > 900) {
    // 900: the longest override the decisions API takes.
    throw new InputError(
      `${KEY}.overrideMinLength: '${minLength}' is not a whole number of characters from 1 to 900`,
    );
  }
  return {
    minLength,
    needsSecondOfficer:
      config.getOptionalBoolean(`${KEY}.overrideNeedsSecondOfficer`) ??
      DEFAULTS.overrideNeedsSecondOfficer,
  };
}
