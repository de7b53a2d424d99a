import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** `mlRegistry.gates.thresholds`: metric name to the minimum the governance checklist wants. */
export function readThresholds(config: Config): Record<string, number> {
  const thresholds = config.getOptionalConfig('mlRegistry.gates.thresholds');
  if (!thresholds) return {};
  return Object.fromEntries(
    thresholds.keys().map(metric => {
      const value = thresholds.getOptional(metric);
      if (typeof value !== 'number') {
        throw new InputError(
          `mlRegistry.gates.thresholds.${metric}: '${value}' is not a number`,
        );
      }
      return [metric, value];
    }),
  );
}
