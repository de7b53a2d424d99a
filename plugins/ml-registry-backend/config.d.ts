export interface Config {
  /** The AWS accounts of the ML platform, read by the ML registry plugins. */
  mlRegistry?: {
    /** The AWS region of every account's ML resources. Defaults to us-east-1. */
    region?: string;
    /**
     * An endpoint for every AWS client, for the local sandbox
     * (e.g. http://localhost:4566). Leave it out for real AWS.
     */
    endpoint?: string;
    /** How often every account is synced; the events path keeps it fresh between. Default every 5 minutes. */
    schedule?: import('@backstage/backend-plugin-api').SchedulerServiceTaskScheduleDefinitionConfig;
    /** The owner of models whose account has no team, e.g. central models of unknown origin. Default group:default/ml-platform. */
    defaultOwner?: string;
    /**
     * The events topic carrying EventBridge's "SageMaker Model Package State
     * Change" events (e.g. from the AWS SQS events module). Default ml-registry.
     */
    eventsTopic?: string;
    /** The events backend's HTTP ingress for eventsTopic, POST /api/events/http/<topic>. */
    eventsIngress?: {
      /**
       * The API key an EventBridge API destination's connection sends as a
       * header (AuthorizationType API_KEY). Without it only Backstage service
       * tokens are accepted.
       */
      apiKey?: {
        /** The connection's ApiKeyName, e.g. x-ml-events-key. */
        header: string;
        /**
         * The connection's ApiKeyValue, 32 to 512 characters.
         * @visibility secret
         */
        value: string;
      };
    };
    /**
     * How old the projects and domains of a dev account may get before a sync
     * reads them again (they change rarely; the registry is read every sync).
     * Default 30 minutes.
     */
    resourcesRefresh?: import('@backstage/types').HumanDuration | string;
    /** How many accounts sync at once. Default 4. */
    concurrency?: number;
    /** AWS requests a second per account, retries included, before callers wait. Default 10. */
    requestsPerSecond?: number;
    /** Attempts per AWS call, with exponential backoff and jitter on throttling. Default 5. */
    maxAttempts?: number;
    /** The approval gates (DESIGN.md section 6). */
    gates?: {
      /** Nobody approves a version they registered, nor two gates of one version. Default true. */
      separationOfDuties?: boolean;
      /**
       * Which Backstage user an AWS identity is, for "registered by" (separation of duties): the
       * IAM principal or SageMaker user profile ARN SageMaker reports as a version's creator
       * (`CreatedBy`), IAM wildcards * and ? allowed. Registrant-written metadata and tags are never read.
       */
      identities?: Array<{ aws: string; user: string }>;
      /**
       * When no Backstage user maps to a version's registrant: `refuse` its approval, or
       * `second-approver`: two different approvers must approve the dev and central gates. Default second-approver.
       */
      unknownRegistrant?: 'refuse' | 'second-approver';
      /**
       * The AWS identities (ARNs, IAM wildcards * and ? allowed) whose dev approvals made outside
       * Backstage (console, CLI) are promoted. Default none: such approvals are shown and audited as
       * external, and wait for an approver to adopt them through Backstage.
       */
      externalApprovers?: string[];
      /** Metric minimums the governance checklist checks in a version's evaluation report (ModelQuality.Statistics), e.g. { auc: 0.9 }. */
      thresholds?: { [metric: string]: number };
      /** The governance gate. */
      governance?: {
        /** The fewest characters of the written reason for approving against a failing checklist. Default 40. */
        overrideMinLength?: number;
        /** A second, different governance officer confirms an approval against a failing checklist. Default false. */
        overrideNeedsSecondOfficer?: boolean;
      };
      /** When a test or prod deploy that does not move is shown as stuck, with what to check and a retry. */
      deploy?: {
        /** A deploy stage whose action has not changed status for this long is stalled. Default 30 minutes. */
        stalledAfter?: import('@backstage/types').HumanDuration | string;
        /** A centrally approved version whose pipeline has not started for it after this long is not started. Default 5 minutes. */
        notStartedAfter?: import('@backstage/types').HumanDuration | string;
      };
      /** The deploy pipeline of a central model group, in the shared services account. Default '{group}-deploy'. */
      deployPipelineName?: string;
      /** The shared services bucket promotion copies artifacts to. Default ml-shared-artifacts-<account id>. */
      artifactBucket?: string;
    };
    /** Promotion of approved dev versions to the central registry. */
    promotion?: {
      /**
       * The ECR registries a promoted version's container images may come from: registry hosts
       * (`<account id>.dkr.ecr.<region>.amazonaws.com`, in mlRegistry.region) or account ids (that
       * account's registry in mlRegistry.region). Each image is pinned by digest on promotion.
       * Default: the shared services and dev accounts' registries and the region's SageMaker
       * built-in image registries.
       */
      imageRegistries?: string[];
    };
    accounts?: Array<{
      /** The 12-digit AWS account id. */
      accountId: string;
      /** The role the account plays in the platform. */
      stage: 'shared-services' | 'dev' | 'test' | 'prod' | 'governance';
      /** A short unique name: lower-case letters, digits and dashes. */
      name: string;
      /** The team owning a dev account, as an entity ref, e.g. group:default/fraud-ds. */
      team?: string;
      /**
       * A dev account's buckets promotion copies artifacts from, each checked to be
       * owned by the account. Anything else a version names is refused. Default
       * sagemaker-<region>-<account id>.
       */
      artifactBuckets?: string[];
    }>;
  };
}
