import { createBackend } from '@backstage/backend-defaults';
import {
  eventsModuleMlRegistryIngress,
  guardedSchedulerServiceFactory,
  quietRequestLogRootHttpRouterServiceFactory,
  quietTokenFailuresLoggerServiceFactory,
  sqsEventsModule,
} from '@ml-governance/plugin-ml-registry-backend';
import { awsAlbSignInModule } from './modules/awsAlbSignIn';
import { localSignInModule } from './modules/localSignIn';

const backend = createBackend();

// Scheduled tasks are triggered or cancelled by operators and services only
// (each run of the registry's sync spends every account's AWS request budget).
backend.add(guardedSchedulerServiceFactory);
// A forged or expired token is logged as one line without a stack, rate-bounded.
backend.add(quietTokenFailuresLoggerServiceFactory);
// Request lines at debug: the pages' polls and reads would fill the info log,
// which keeps one line per decision, promotion step, deploy change and refusal.
backend.add(quietRequestLogRootHttpRouterServiceFactory);

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
// Production sign-in (app-config.production*.yaml); each is idle unless configured.
backend.add(import('@backstage/plugin-auth-backend-module-oidc-provider'));
// Behind an ALB: only our load balancer's signature and verified e-mail addresses.
backend.add(awsAlbSignInModule);
backend.add(localSignInModule);

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
backend.add(
  import('@ml-governance/plugin-scaffolder-backend-module-ml-actions'),
);

backend.add(import('@backstage/plugin-permission-backend'));
// Who may decide each approval gate; everything else stays allowed.
backend.add(
  import('@ml-governance/plugin-permission-backend-module-ml-governance'),
);

backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// EventBridge events reach the ML registry through an SQS queue, read as the
// AWS SQS events module's config says but one message at a time.
backend.add(import('@backstage/plugin-events-backend'));
backend.add(sqsEventsModule);
// POST /api/events/http/ml-registry, for callers that prove who they are.
backend.add(eventsModuleMlRegistryIngress);

backend.add(import('@ml-governance/plugin-ml-registry-backend'));
backend.add(import('@ml-governance/plugin-catalog-backend-module-ml-registry'));

backend.start();
