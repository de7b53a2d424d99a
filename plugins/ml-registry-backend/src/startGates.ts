import { coreServices } from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { ML_REGISTRY_ENTITIES_TOPIC } from '@ml-governance/plugin-ml-registry-common';
import { awsClientFactoryServiceRef } from '@ml-governance/plugin-ml-registry-node';
import { MlRegistryBackendConfig } from './config/readMlRegistryBackendConfig';
import { Stores } from './database/openStores';
import { ModelVersionRecord } from './database/VersionStore';
import { GateNotifier } from './gates/GateNotifier';
import { GateService } from './gates/GateService';
import { Promotion } from './gates/Promotion';
import { promoteApproved } from './gates/promotionTrigger';
import { ApproversOf } from './permissions/modelVersionRules';
import { ModelSignals } from './signals/ModelSignals';
import { AccountSync } from './sync/AccountSync';

/** The services the ML registry backend plugin depends on. */
export const DEPS = {
  rootConfig: coreServices.rootConfig,
  database: coreServices.database,
  httpAuth: coreServices.httpAuth,
  httpRouter: coreServices.httpRouter,
  logger: coreServices.logger,
  permissions: coreServices.permissions,
  permissionsRegistry: coreServices.permissionsRegistry,
  scheduler: coreServices.scheduler,
  clients: awsClientFactoryServiceRef,
  events: eventsServiceRef,
  notifications: notificationService,
  signals: signalsServiceRef,
};

export type Deps = { [K in keyof typeof DEPS]: (typeof DEPS)[K]['T'] };

/** The gates, and what promotes a dev account's approved versions (run after each of its syncs). */
export function startGates(
  deps: Deps,
  config: MlRegistryBackendConfig & { approversOf: ApproversOf },
  stores: Stores,
) {
  const { platform, gates: policy } = config;
  const notifier = new GateNotifier({ ...deps, ...config, ...stores });
  const modelSignals = new ModelSignals(deps);
  const onNewStates = async (versions: ModelVersionRecord[]) => {
    await notifier.versionsChanged(versions);
    await modelSignals.versionsChanged(versions);
  };
  const sync = new AccountSync({
    ...deps,
    ...stores,
    resourcesRefreshMs: config.resourcesRefreshMs,
    // The catalog module refreshes on this instead of waiting for its schedule.
    onEntitiesChanged: accountId =>
      deps.events.publish({
        topic: ML_REGISTRY_ENTITIES_TOPIC,
        eventPayload: { accountId },
      }),
    onNewStates,
  });
  const promotion = new Promotion({
    ...deps,
    ...stores,
    ...config,
    leaseMs: config.promotionLeaseMs,
    onNewStates,
  });
  const gates = new GateService({
    ...deps,
    ...stores,
    platform,
    promotion,
    sync,
    policy,
    modelSignals,
    notifier,
  });
  const promoteApprovedOf = promoteApproved({ ...stores, policy, promotion });
  return {
    notifier,
    modelSignals,
    sync,
    gates,
    promoteApproved: promoteApprovedOf,
  };
}
