import { showValue, Violation } from './check';

/** One violation as AWS words it: `Value 'x' at 'a.b' failed to satisfy constraint: Member must …`. */
export const describeViolation = (v: Violation) =>
  v.kind === 'unknown'
    ? `Member '${v.path}' is not defined in the model`
    : `Value ${showValue(v.value)} at '${
        v.path
      }' failed to satisfy constraint: ${v.constraint}`;

/**
 * AWS's validation message: `1 validation error detected: …` or
 * `N validation errors detected: …; …`, as every Coral-based service writes it
 * (for example https://docs.aws.amazon.com/sagemaker/latest/APIReference/CommonErrors.html
 * lists ValidationException, "The input fails to satisfy the constraints specified by an AWS service").
 */
export function validationMessage(violations: Violation[]): string {
  const n = violations.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${violations
    .map(describeViolation)
    .join('; ')}`;
}
