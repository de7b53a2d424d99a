import { AwsError } from './errors';
import { Caller } from './identity';
import { identityPolicyAllows } from './policy';

/**
 * Refuses a call the caller's identity policies do not allow, with the
 * message AWS gives, naming the action, so a missing permission fails loudly.
 * Callers without policies (an account's root, roles defined without any) may
 * do anything.
 */
export function requireIdentityAllows(caller: Caller, action: string, resource: string, errorCode = 'AccessDeniedException', status = 400) {
  if (!caller.policies || identityPolicyAllows(caller.policies, action, resource)) return;
  throw new AwsError(
    errorCode,
    `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
    status,
  );
}

/**
 * The resource a JSON-protocol call acts on, where the suite's role templates
 * restrict it: CodePipeline pipelines. Others are `*`, as the templates grant them.
 */
export function resourceOf(service: string, input: any, region: string, accountId: string): string {
  const pipeline = service === 'codepipeline' ? input?.name ?? input?.pipelineName ?? input?.pipeline?.name : undefined;
  return typeof pipeline === 'string' ? `arn:aws:codepipeline:${region}:${accountId}:${pipeline}` : '*';
}
