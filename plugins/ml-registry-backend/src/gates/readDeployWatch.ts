import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import { ML_REGISTRY_BACKEND_DEFAULTS } from '../config/defaults';

/** When a deploy that does not move is shown as stuck. */
export interface DeployWatchPolicy {
  /** A deploy stage whose action has not changed status for this long is stalled. Default 30 minutes. */
  stalledAfterMs: number;
  /** A centrally approved version with no deploy execution after this long was not started. Default 5 minutes. */
  notStartedAfterMs: number;
}

const KEY = 'mlRegistry.gates.deploy';

const DEFAULTS = ML_REGISTRY_BACKEND_DEFAULTS.gates.deploy;

function readMs(config: Config, name: keyof typeof DEFAULTS): number {
  if (!config.has(`${KEY}.${name}`))
    return durationToMilliseconds(DEFAULTS[name]);
  let ms: number;
  try {
    ms = durationToMilliseconds(
      readDurationFromConfig(config, { key: `${KEY}.${name}` }),
    );
  } catch (e: any) {
    throw new InputError(
      `${KEY}.${name}: not a duration such as { minutes: 30 } or PT30M (${e?.message})`,
    );
  }
  if (!(ms > 0))
    throw new InputError(`${KEY}.${name}: must be longer than zero`);
  return ms;
}

/** `mlRegistry.gates.deploy.stalledAfter` and `.notStartedAfter`; a bad value stops start-up naming its key. */
export function readDeployWatch(config: Config): DeployWatchPolicy {
  return {
    stalledAfterMs: readMs(config, 'stalledAfter'),
    notStartedAfterMs: readMs(config, 'notStartedAfter'),
  };
}
