import { createConditionExports } from '@backstage/plugin-permission-node';
import {
  mlModelVersionPermissionRules,
  mlModelVersionResourceRef,
} from './modelVersionRules';

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: mlModelVersionResourceRef,
  rules: mlModelVersionPermissionRules,
});

/**
 * Conditions on a model version, one per rule of the ML registry backend
 * (`isTeamAccount`, `isInStage`), for an organisation's own permission
 * policy to grant the gate permissions conditionally.
 *
 * @public
 */
export const mlRegistryConditions = conditions;

/**
 * A conditional decision on a gate permission, which the ML registry backend
 * evaluates against the version the gate acts on.
 *
 * @public
 */
export const createMlRegistryConditionalDecision = createConditionalDecision;
