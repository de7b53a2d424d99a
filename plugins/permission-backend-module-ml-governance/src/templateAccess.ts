import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  readEntityRefs,
  TEMPLATE_AUDIENCE_NAME,
} from '@ml-governance/plugin-ml-registry-common';

/** Who may see and run the templates of one audience, and the actions only they may run. */
export interface TemplateAudience {
  groups: string[];
  actions: string[];
}

/**
 * The portfolios the suite replaces, shared as the platform engineer shared
 * them: ML Admin with lead data scientists (and the platform team), SageMaker
 * Projects with data scientists and their leads, deployment with ML engineers.
 *
 * @public
 */
export const DEFAULT_TEMPLATE_ACCESS: Record<string, TemplateAudience> = {
  'ml-admin': {
    groups: [
      'group:default/lead-data-scientists',
      'group:default/platform-engineers',
    ],
    actions: [
      'sagemaker:domain:create',
      'sagemaker:user-profile:create',
      'servicecatalog:product:provision',
    ],
  },
  'ml-experiment': {
    groups: [
      'group:default/data-scientists',
      'group:default/lead-data-scientists',
    ],
    actions: [
      'sagemaker:project:create',
      'sagemaker:model-package-group:create',
    ],
  },
  'ml-deploy': {
    groups: ['group:default/ml-engineers'],
    actions: ['codepipeline:deploy-pipeline:create'],
  },
};

/**
 * Reads `mlRegistry.templateAccess`: an audience given there replaces its
 * default whole, a new one is added. A malformed name or ref stops start-up
 * naming the key.
 *
 * @public
 */
export function readTemplateAccess(
  config: Config,
): Record<string, TemplateAudience> {
  const access = { ...DEFAULT_TEMPLATE_ACCESS };
  const section = config.getOptionalConfig('mlRegistry.templateAccess');
  for (const audience of section?.keys() ?? []) {
    const key = `mlRegistry.templateAccess.${audience}`;
    if (!TEMPLATE_AUDIENCE_NAME.test(audience))
      throw new InputError(
        `${key}: an audience is named with lower-case letters, digits and dashes`,
      );
    access[audience] = {
      groups: readEntityRefs(config, `${key}.groups`) ?? [],
      actions: config.getOptionalStringArray(`${key}.actions`) ?? [],
    };
  }
  return access;
}
