import { AwsError } from './errors';
import { Caller } from './identity';
import { identityPolicyAllows } from './policy';

/**
 * Refuses a call the caller's identity policies do not allow, with the
 * message AWS gives, naming the action, so a missing permission fails loudly.
 * Callers without policies (an account's root, roles defined without any) may
 * do anything.
 */
export function requireIdentityAllows(
  caller: Caller,
  action: string,
  resource: string,
  errorCode = 'AccessDeniedException',
  status = 400,
) {
  if (
    !caller.policies ||
    identityPolicyAllows(caller.policies, action, resource)
  )
    return;
  throw new AwsError(
    errorCode,
    `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
    status,
  );
}

/** SageMaker hosting resources, by the request member naming them, as IAM names them (lower case). */
const SAGEMAKER_RESOURCES: Record<string, string> = {
  EndpointName: 'endpoint',
  EndpointConfigName: 'endpoint-config',
  ModelName: 'model',
};

/**
 * The resource a JSON-protocol call acts on, where the suite's role templates
 * restrict it: CodePipeline pipelines, CodeBuild projects (a batch call on one
 * project names it), EventBridge rules, ECR repositories and SageMaker hosting resources. Others
 * are `*`, as the templates grant them.
 */
export function resourceOf(
  service: string,
  input: any,
  region: string,
  accountId: string,
): string {
  const arn = (resource: string) =>
    `arn:aws:${service}:${region}:${accountId}:${resource}`;
  const named = (value: unknown, resource: (name: string) => string) =>
    typeof value === 'string' ? resource(value) : '*';
  switch (service) {
    case 'codepipeline':
      return named(
        input?.name ?? input?.pipelineName ?? input?.pipeline?.name,
        name => arn(name),
      );
    case 'codebuild': {
      const names = input?.names;
      const project =
        input?.name ??
        input?.projectName ??
        (Array.isArray(names) && names.length === 1 ? names[0] : undefined);
      return named(project, name =>
        name.startsWith('arn:') ? name : arn(`project/${name}`),
      );
    }
    case 'events':
      return named(input?.Rule ?? input?.Name, name => arn(`rule/${name}`));
    case 'ecr':
      // A repository of another registry (registryId) is that account's resource.
      return named(
        input?.repositoryName,
        name =>
          `arn:aws:ecr:${region}:${
            input?.registryId ?? accountId
          }:repository/${name}`,
      );
    case 'sagemaker': {
      // The hosting operations act on the resource they name first; a model package group's or a model's other calls stay '*'.
      const member = Object.keys(SAGEMAKER_RESOURCES).find(
        m => typeof input?.[m] === 'string',
      );
      return member
        ? arn(`${SAGEMAKER_RESOURCES[member]}/${input[member].toLowerCase()}`)
        : '*';
    }
    default:
      return '*';
  }
}
