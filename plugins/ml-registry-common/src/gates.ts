import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { DECISION_GATES, DecisionGate } from './api';

/**
 * Who decides each gate by default: the roles of DESIGN.md section 1, as the
 * example organisation names their groups.
 *
 * @public
 */
export const DEFAULT_APPROVERS: Record<DecisionGate, string[]> = {
  'dev-approval': ['group:default/lead-data-scientists'],
  'central-approval': ['group:default/ml-engineers'],
  'governance-approval': ['group:default/governance-officers'],
};

const ENTITY_REF = /^(user|group):[a-z0-9-_.]+\/[a-zA-Z0-9-_.]+$/;

/**
 * Reads a list of user or group entity refs at `key`; a malformed ref stops
 * start-up naming the key and the ref.
 *
 * @public
 */
export function readEntityRefs(
  config: Config,
  key: string,
): string[] | undefined {
  const refs = config.getOptionalStringArray(key);
  refs?.forEach((ref, i) => {
    if (!ENTITY_REF.test(ref)) {
      throw new InputError(
        `${key}[${i}]: '${ref}' is not a user or group entity ref such as group:default/ml-engineers`,
      );
    }
  });
  return refs;
}

/**
 * Reads `mlRegistry.gates.approvers`; a malformed ref stops start-up naming the key.
 * The example organisation's groups are the default in development only
 * (`auth.environment`, development when unset as for Backstage): elsewhere a
 * gate nobody is configured for is decided by nobody.
 *
 * @public
 */
export function readApprovers(config: Config): Record<DecisionGate, string[]> {
  const development =
    (config.getOptionalString('auth.environment') ?? 'development') ===
    'development';
  const approvers: Record<DecisionGate, string[]> = development
    ? { ...DEFAULT_APPROVERS }
    : { 'dev-approval': [], 'central-approval': [], 'governance-approval': [] };
  for (const gate of DECISION_GATES) {
    const refs = readEntityRefs(config, `mlRegistry.gates.approvers.${gate}`);
    if (refs) approvers[gate] = refs;
  }
  return approvers;
}
