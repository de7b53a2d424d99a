import {
  coreServices,
  createBackendPlugin,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { durationToMilliseconds } from '@backstage/types';
import { readDurationFromConfig } from '@backstage/config';
import { awsClientFactoryServiceRef } from '@ml-governance/plugin-ml-registry-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  MlAccount,
  ML_REGISTRY_ENTITIES_TOPIC,
  mlRegistryPermissions,
  readApprovers,
  readMlPlatformConfig,
  readPromotionImageRegistries,
} from '@ml-governance/plugin-ml-registry-common';
import { AccountStore } from './database/AccountStore';
import { migrateDatabase } from './database/migrateDatabase';
import { VersionStore } from './database/VersionStore';
import { AccountSync } from './sync/AccountSync';
import { syncOnEvents } from './sync/syncOnEvents';
import { catalogEntities } from './entities/catalogEntities';
import { EndpointStore } from './database/EndpointStore';
import { ModelCardStore } from './database/ModelCardStore';
import { ResourceStore } from './database/ResourceStore';
import { createRouter } from './router';
import { AuditLog } from './database/AuditLog';
import { GateDecisionStore } from './database/GateDecisionStore';
import { PromotionStore } from './database/PromotionStore';
import { GateService } from './gates/GateService';
import { Promotion } from './gates/Promotion';
import { readGatePolicy } from './gates/gatePolicy';
import { promotionTrigger } from './gates/promotionTrigger';
import {
  mlModelVersionPermissionRules,
  mlModelVersionResourceRef,
  modelVersionResources,
} from './permissions/modelVersionRules';
import { GateNotifier } from './gates/GateNotifier';
import { notificationService } from '@backstage/plugin-notifications-node';
import { readEventsTopic } from './events/eventsTopic';
import { assertNoLocalValuesInProduction } from './productionChecks';

/**
 * The ML registry backend: aggregates the model registries of every configured
 * AWS account and serves them to the frontend.
 *
 * @public
 */
export const mlRegistryPlugin = createBackendPlugin({
  pluginId: 'ml-registry',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
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
      },
      async init({
        config,
        database,
        httpAuth,
        httpRouter,
        logger,
        permissions,
        permissionsRegistry,
        scheduler,
        clients,
        events,
        notifications,
      }) {
        // Read config first: a bad key stops start-up before anything is written.
        assertNoLocalValuesInProduction(config);
        const platform = readMlPlatformConfig(config);
        const policy = readGatePolicy(config);
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await migrateDatabase(knex);
        }
        const accounts = new AccountStore(knex);
        await accounts.replaceAccounts(platform.accounts);
        logger.info(
          `ML platform: ${platform.accounts.length} accounts in ${platform.region}`,
        );

        const versions = new VersionStore(knex);
        const endpoints = new EndpointStore(knex);
        const modelCards = new ModelCardStore(knex);
        const resources = new ResourceStore(knex);
        const refreshKey = 'mlRegistry.resourcesRefresh';
        const eventsTopic = readEventsTopic(config);
        const notifier = new GateNotifier({
          notifications,
          approvers: readApprovers(config),
          platform,
          clients,
          logger,
        });
        await notifier.subscribe(events, eventsTopic);
        const sync = new AccountSync({
          clients,
          accounts,
          versions,
          endpoints,
          modelCards,
          resources,
          logger,
          ...(config.has(refreshKey)
            ? {
                resourcesRefreshMs: durationToMilliseconds(
                  readDurationFromConfig(config, { key: refreshKey }),
                ),
              }
            : {}),
          // The catalog module refreshes on this instead of waiting for its schedule.
          onEntitiesChanged: accountId =>
            events.publish({
              topic: ML_REGISTRY_ENTITIES_TOPIC,
              eventPayload: { accountId },
            }),
          onNewStates: newStates => notifier.versionsPending(newStates),
        });
        const defaultOwner =
          config.getOptionalString('mlRegistry.defaultOwner') ??
          'group:default/ml-platform';
        const entities = async () =>
          catalogEntities({
            accounts: platform.accounts,
            defaultOwner,
            groups: await versions.groupSummaries(),
            sources: await versions.promotionSources(),
            endpoints: await endpoints.listEndpoints(),
            resources: await resources.list(),
          });
        const audit = new AuditLog(knex);
        const promotions = new PromotionStore(knex);
        const promotion = new Promotion({
          clients,
          platform,
          versions,
          promotions,
          audit,
          logger,
          artifactBucket: config.getOptionalString(
            'mlRegistry.gates.artifactBucket',
          ),
          imageRegistries: readPromotionImageRegistries(config, platform),
          onNewStates: newStates => notifier.versionsPending(newStates),
        });
        const decisions = new GateDecisionStore(knex);
        const gates = new GateService({
          clients,
          platform,
          permissions,
          versions,
          endpoints,
          promotion,
          sync,
          logger,
          audit,
          promotions,
          decisions,
          policy,
        });
        // Promotion owes a central copy to every version approved in a dev account through Backstage, or outside it by whom policy trusts.
        const mayPromote = promotionTrigger({
          versions,
          decisions,
          audit,
          policy,
        });
        const promoteApproved = async (account: MlAccount) => {
          if (account.stage === 'dev')
            await promotion.reconcile(account.accountId, mayPromote);
        };

        const scheduleConfig = config.getOptionalConfig('mlRegistry.schedule');
        const concurrency =
          config.getOptionalNumber('mlRegistry.concurrency') ?? 4;
        // The scheduler runs the task on one replica at a time.
        await scheduler.scheduleTask({
          id: 'ml-registry-sync',
          ...(scheduleConfig
            ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
                scheduleConfig,
              )
            : {
                frequency: { minutes: 5 },
                timeout: { minutes: 15 },
                initialDelay: { seconds: 5 },
              }),
          fn: async () => {
            const results = await sync.syncAll(platform.accounts, concurrency);
            const failed = results.filter(r => !r.ok).length;
            logger.info(
              `ML registry sync: ${
                results.length - failed
              } accounts synced, ${failed} failed`,
            );
            // The safety net for promotions whose event was missed.
            for (const account of platform.accounts)
              await promoteApproved(account);
          },
        });
        // A backend killed right after taking an event off the queue never acts on it, and the
        // scheduler keeps the task's next run (up to `frequency` away) across restarts: run the
        // safety net at start (scripts/fault-test.mjs). A ConflictError means it is running already.
        await scheduler.triggerTask('ml-registry-sync').catch(e => {
          if (e?.name !== 'ConflictError') throw e;
        });

        // Events are the fast path; the schedule above is the safety net.
        await syncOnEvents({
          events,
          topic: eventsTopic,
          accounts: platform.accounts,
          sync,
          logger,
          afterSync: promoteApproved,
        });

        permissionsRegistry.addPermissions(mlRegistryPermissions);
        // Gate permissions are conditional on the version decided (its account's stage and team).
        permissionsRegistry.addResourceType({
          resourceRef: mlModelVersionResourceRef,
          rules: Object.values(mlModelVersionPermissionRules),
          getResources: modelVersionResources(versions, platform),
        });
        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            accounts,
            versions,
            endpoints,
            modelCards,
            resources,
            platform,
            defaultOwner,
            entities,
            gates,
          }),
        );
      },
    });
  },
});
