import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/**
 * The IAM roles the actions hand to AWS services, by name: the role of that
 * name in the account the action acts in. They come from config only, never
 * from a template's input, so no one running a template can have a service
 * act as a role of their choosing.
 *
 * @public
 */
export interface MlRoles {
  /** The default execution role of a Studio domain's users (dev accounts). */
  studioExecution: string;
  /** The role an experiment project's SageMaker pipeline runs as (dev accounts). */
  experimentPipeline: string;
  /** The deploy pipeline's own role, its CodeBuild projects' and its EventBridge rule's (shared services). */
  deployPipeline: string;
  deployCodeBuild: string;
  deployEvents: string;
  /** The deploy pipeline's roles in the test and prod accounts: its cross-account role, CloudFormation's, the model's. */
  deployCrossAccount: string;
  deployCloudFormation: string;
  deployModelExecution: string;
}

/** The names iam/ gives them (the dev-account ones: ml-dev-account.yaml's parameters' defaults). */
export const DEFAULT_ML_ROLES: MlRoles = {
  studioExecution: 'sagemaker-execution',
  experimentPipeline: 'ml-sagemaker-pipeline',
  deployPipeline: 'ml-deploy-pipeline',
  deployCodeBuild: 'ml-deploy-codebuild',
  deployEvents: 'ml-deploy-events',
  deployCrossAccount: 'ml-deploy-cross-account',
  deployCloudFormation: 'ml-deploy-cloudformation',
  deployModelExecution: 'ml-deploy-model-execution',
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (RoleName)
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/**
 * Reads `mlRegistry.roles`; a role not given there takes its default. A
 * malformed name stops start-up naming the key.
 *
 * @public
 */
export function readMlRoles(config: Config): MlRoles {
  const section = config.getOptionalConfig('mlRegistry.roles');
  const unknown = (section?.keys() ?? []).filter(
    key => !(key in DEFAULT_ML_ROLES),
  );
  if (unknown.length) {
    throw new InputError(
      `mlRegistry.roles.${
        unknown[0]
      }: not a role the actions pass (they are ${Object.keys(
        DEFAULT_ML_ROLES,
      ).join(', ')})`,
    );
  }
  const roles = { ...DEFAULT_ML_ROLES };
  for (const key of Object.keys(roles) as (keyof MlRoles)[]) {
    const name = section?.getOptionalString(key);
    if (name === undefined) continue;
    if (!ROLE_NAME.test(name))
      throw new InputError(
        `mlRegistry.roles.${key}: '${name}' is not an IAM role name (letters, digits and +=,.@_-, at most 64)`,
      );
    roles[key] = name;
  }
  return roles;
}
