export interface Config {
  /** The ML registry backend; the platform's accounts and region are declared by ml-registry-common. */
  mlRegistry?: {
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
    /** The approval gates a model version passes on its way to production. */
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
    promotion?: {
      /**
       * How long a replica holds a promotion without renewing it (it renews every third of this
       * while it works). A promotion whose replica died resumes on another, or on the restarted
       * one, once this has passed. Default 2 minutes.
       */
      lease?: import('@backstage/types').HumanDuration | string;
    };
  };
}
