import { ExtensionPoint } from '@backstage/backend-plugin-api';
import {
  configuredGateApprovers,
  defaultGovernanceChecklist,
  derivedModelOwner,
  GateApprovers,
  GovernanceChecklist,
  mlRegistryGateApproversExtensionPoint,
  mlRegistryGovernanceChecklistExtensionPoint,
  mlRegistryModelOwnerExtensionPoint,
  ModelOwnerResolver,
} from '@ml-governance/plugin-ml-registry-node';

/** What the backend's modules set through its extension points, else the suite's defaults. */
export interface MlRegistryExtensions {
  checklist: GovernanceChecklist;
  approvers: GateApprovers;
  modelOwner: ModelOwnerResolver;
}

/** A setter that refuses a second value: two modules setting one thing is a mistake to name, not to resolve by start order. */
function setOnce<T>(point: { id: string }, set: (value: T) => void) {
  let isSet = false;
  return (value: T) => {
    if (isSet) {
      throw new Error(
        `${point.id} is set by two modules; install only one of them`,
      );
    }
    isSet = true;
    set(value);
  };
}

/**
 * Registers the ML registry's extension points; the returned settings hold
 * what modules set once their init ran (before the plugin's), else the
 * suite's defaults.
 */
export function registerExtensionPoints(env: {
  registerExtensionPoint<T>(ref: ExtensionPoint<T>, impl: T): void;
}): MlRegistryExtensions {
  const extensions: MlRegistryExtensions = {
    checklist: defaultGovernanceChecklist,
    approvers: configuredGateApprovers,
    modelOwner: derivedModelOwner,
  };
  env.registerExtensionPoint(mlRegistryGovernanceChecklistExtensionPoint, {
    setGovernanceChecklist: setOnce<GovernanceChecklist>(
      mlRegistryGovernanceChecklistExtensionPoint,
      checklist => {
        extensions.checklist = checklist;
      },
    ),
  });
  env.registerExtensionPoint(mlRegistryGateApproversExtensionPoint, {
    setGateApprovers: setOnce<GateApprovers>(
      mlRegistryGateApproversExtensionPoint,
      approvers => {
        extensions.approvers = approvers;
      },
    ),
  });
  env.registerExtensionPoint(mlRegistryModelOwnerExtensionPoint, {
    setModelOwnerResolver: setOnce<ModelOwnerResolver>(
      mlRegistryModelOwnerExtensionPoint,
      resolver => {
        extensions.modelOwner = resolver;
      },
    ),
  });
  return extensions;
}
