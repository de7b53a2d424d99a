import { TemplateActionOptions } from '@backstage/plugin-scaffolder-node';

type FieldSchemas = NonNullable<
  NonNullable<TemplateActionOptions['schema']>['input']
>;

/**
 * The zod createTemplateAction hands each field's schema function, so an
 * action's fields can be declared beside it instead of inside its call.
 */
export type Zod = Parameters<
  Extract<FieldSchemas, Record<string, unknown>>[string]
>[0];
