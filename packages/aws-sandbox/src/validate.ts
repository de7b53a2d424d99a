import { validation } from './errors';

/** Checks of request parameters; each failure names the parameter. */
export type Input = Record<string, any>;

// AWS's own patterns for the names and ARNs the sandbox accepts.
export const NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
export const ARN_PATTERN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$/;

export function str(input: Input, name: string, pattern?: RegExp): string {
  const value = input?.[name];
  if (value === undefined || value === null || value === '') {
    throw validation(`1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`);
  }
  if (typeof value !== 'string') {
    throw validation(`Value at '${name}' must be a string`);
  }
  if (pattern && !pattern.test(value)) {
    throw validation(
      `1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source}`,
    );
  }
  return value;
}

export function optStr(input: Input, name: string, pattern?: RegExp): string | undefined {
  return input?.[name] === undefined ? undefined : str(input, name, pattern);
}

export function oneOf<T extends string>(input: Input, name: string, values: readonly T[]): T {
  const value = str(input, name);
  if (!values.includes(value as T)) {
    throw validation(
      `1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`,
    );
  }
  return value as T;
}

export function optOneOf<T extends string>(input: Input, name: string, values: readonly T[]): T | undefined {
  return input?.[name] === undefined ? undefined : oneOf(input, name, values);
}

export function num(input: Input, name: string, min: number, max: number, fallback: number): number {
  const value = input?.[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw validation(`Value '${value}' at '${name}' must be an integer from ${min} to ${max}`);
  }
  return value;
}
