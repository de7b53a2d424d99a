import { validation } from './errors';

/**
 * Checks of request parameters inside handlers, for what the service model
 * cannot say (a name or an ARN where the model takes either) and for the
 * scenario, which seeds through the handlers without the contract's checks.
 * Failures read as AWS's validation messages, naming the member as AWS does.
 */
export type Input = Record<string, any>;

// AWS's own patterns for the names and ARNs the sandbox accepts.
export const NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
export const ARN_PATTERN =
  /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$/;
/** An IAM role's ARN in any partition. */
export const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;

const memberPath = (name: string) =>
  name.charAt(0).toLowerCase() + name.slice(1);

const invalid = (value: unknown, name: string, constraint: string) =>
  validation(
    `1 validation error detected: Value ${
      value === undefined || value === null ? 'null' : `'${value}'`
    } at '${memberPath(name)}' failed to satisfy constraint: ${constraint}`,
  );

export function str(input: Input, name: string, pattern?: RegExp): string {
  const value = input?.[name];
  if (value === undefined || value === null || value === '')
    throw invalid(null, name, 'Member must not be null');
  if (typeof value !== 'string')
    throw invalid(value, name, 'Member must be a string');
  if (pattern && !pattern.test(value)) {
    throw invalid(
      value,
      name,
      `Member must satisfy regular expression pattern: ${pattern.source}`,
    );
  }
  return value;
}

export function optStr(
  input: Input,
  name: string,
  pattern?: RegExp,
): string | undefined {
  return input?.[name] === undefined ? undefined : str(input, name, pattern);
}

export function oneOf<T extends string>(
  input: Input,
  name: string,
  values: readonly T[],
): T {
  const value = str(input, name);
  if (!values.includes(value as T)) {
    throw invalid(
      value,
      name,
      `Member must satisfy enum value set: [${values.join(', ')}]`,
    );
  }
  return value as T;
}

export function optOneOf<T extends string>(
  input: Input,
  name: string,
  values: readonly T[],
): T | undefined {
  return input?.[name] === undefined ? undefined : oneOf(input, name, values);
}

export function num(
  input: Input,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const value = input?.[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw invalid(value, name, 'Member must be an integer');
  if (value < min)
    throw invalid(
      value,
      name,
      `Member must have value greater than or equal to ${min}`,
    );
  if (value > max)
    throw invalid(
      value,
      name,
      `Member must have value less than or equal to ${max}`,
    );
  return value;
}
