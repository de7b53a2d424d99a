// THIS FILE IS GENERATED; DO NOT EDIT IT. Edit src/schema/openapi.yaml of
// plugin-ml-registry-backend and run `node scripts/generate-openapi.mjs` there.
/* eslint-disable */
export interface paths {
  '/accounts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description Every configured account with its sync state. */
    get: operations['ListAccounts'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/models': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description Every model package group of every account, with version counts by status. */
    get: operations['ListModels'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/models/{accountId}/{groupName}/versions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description One page of a model's versions. */
    get: operations['ListVersions'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/versions/by-arn': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description One version with its lineage, approval history, model card and deployments. */
    get: operations['GetVersion'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/gates': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description A version's six gates (dev approval, promotion, central approval, test deploy, governance approval, prod deploy), the governance checklist while it waits there, and its audit trail. The ARN may be the dev version or its central copy. */
    get: operations['GetGates'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/gates/comparison': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description What changed, for the approver of a decision gate: the version beside the version the next stage runs now (test for the central approval, prod for the governance approval), or else the previous approved version of its group, read from AWS. The ARN is the version decided on at that gate (the dev version at dev approval, the central copy after). */
    get: operations['GetComparison'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The audit trail of a version's lineage (the dev version and its central copy), oldest first, a page at a time. */
    get: operations['GetAudit'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/gates/decisions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Approve or reject a version at a gate, as the signed-in user. Checked by the gate's permission and separation of duties; 409 when the gate is already decided or not waiting; recorded in the audit log either way. */
    post: operations['DecideGate'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/gates/retries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Retry a failed promotion (the dev version's ARN), or a deployment that failed, stalled or never started (the central version's ARN): its failed stage's failed actions (CodePipeline RetryStageExecution, FAILED_ACTIONS) or the whole pipeline (StartPipelineExecution). Needs the permission of the version's approval gate; CodePipeline's refusal is a 409 naming it. */
    post: operations['RetryGate'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entities': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The catalog entities of every account; for the catalog module (service credentials only). */
    get: operations['ListEntities'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    /** @description A model package version's ARN, in any AWS partition. The group name is SageMaker's EntityName (letters, digits, single dashes), so no path tricks. */
    ModelPackageArn: string;
    /** @enum {string} */
    AccountStage: 'shared-services' | 'dev' | 'test' | 'prod' | 'governance';
    /** @enum {string} */
    ApprovalStatusFilter: 'Approved' | 'Rejected' | 'PendingManualApproval';
    /**
     * @description The approval gates a version waits at.
     * @enum {string}
     */
    PendingGate: 'dev-approval' | 'central-approval';
    /**
     * @description The stages a model version passes from its dev registry to production.
     * @enum {string}
     */
    LifecycleGate:
      | 'dev-approval'
      | 'promotion'
      | 'central-approval'
      | 'test-deploy'
      | 'governance-approval'
      | 'prod-deploy';
    /**
     * @description The gates people decide on.
     * @enum {string}
     */
    DecisionGate: 'dev-approval' | 'central-approval' | 'governance-approval';
    /**
     * @description How a failed or stalled deploy stage, or a deploy that never started, can be retried: the failed stage's failed actions (CodePipeline RetryStageExecution with FAILED_ACTIONS), or the whole pipeline again (StartPipelineExecution).
     * @enum {string}
     */
    DeployRetry: 'failed-actions' | 'pipeline';
    /**
     * @description Why an account could not be reached: a class a person may be told, never the AWS error's message.
     * @enum {string}
     */
    AwsFault:
      | 'throttling'
      | 'server-error'
      | 'network'
      | 'timeout'
      | 'expired-credentials'
      | 'access-denied';
    /** @description The sync state of one account. */
    AccountStatus: {
      accountId: string;
      name: string;
      stage: components['schemas']['AccountStage'];
      team?: string;
      /**
       * Format: date-time
       * @description When the account was last synced successfully.
       */
      lastSyncAt?: string;
      /** @description The error of the last failed sync; the account's data is then stale. */
      lastError?: string;
      stale: boolean;
    };
    AccountsResponse: {
      items: components['schemas']['AccountStatus'][];
    };
    /** @description One model package group of one account. */
    ModelSummary: {
      /** @description The catalog entity of the model, e.g. resource:default/fraud-dev--fraud-detection. */
      entityRef: string;
      accountId: string;
      accountName: string;
      stage: string;
      groupName: string;
      arn: string;
      description?: string;
      versions: number;
      latestVersion?: number;
      /** @description Versions by approval status. */
      statusCounts: {
        [key: string]: number;
      };
      /** @description The owning group, as on the model's entity. */
      owner: string;
    };
    ModelsResponse: {
      items: components['schemas']['ModelSummary'][];
    };
    /** @description One model package version. */
    ModelVersion: {
      arn: string;
      accountId: string;
      groupName: string;
      version: number;
      approvalStatus: string;
      approvalDescription?: string;
      createdBy?: string;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      lastModifiedAt: string;
      /** @description Customer metadata, e.g. metrics. */
      metadata: {
        [key: string]: string;
      };
      /** @description The dev package a central version was promoted from. */
      sourceArn?: string;
      modelDataUrl?: string;
      /** @description The SageMaker project whose pipeline registered it. */
      projectId?: string;
      /** @description Where its training data came from: S3 prefix, Athena table, DataZone asset or feature group. */
      trainingData?: string;
      /** @description The pipeline execution that registered it. */
      generatedBy?: string;
    };
    VersionsPage: {
      items: components['schemas']['ModelVersion'][];
      totalCount: number;
      offset: number;
      limit: number;
    };
    /** @description One approval state a version was seen in, oldest first. */
    ApprovalEvent: {
      approvalStatus: string;
      approvalDescription?: string;
      changedBy?: string;
      /** Format: date-time */
      changedAt: string;
    };
    /** @description The latest version of a model's card in the central registry. */
    ModelCardSummary: {
      arn: string;
      accountId: string;
      name: string;
      version: number;
      status: string;
      /** @description The card's JSON content. */
      content?: string;
      /** Format: date-time */
      lastModifiedAt: string;
    };
    /** @description An endpoint serving a version (or the central copy of a dev version). */
    Deployment: {
      stage: string;
      accountId: string;
      accountName: string;
      endpointName: string;
      endpointArn: string;
      status: string;
      modelPackageArn: string;
    };
    /** @enum {string} */
    LineageNodeKind:
      | 'data'
      | 'pipeline-run'
      | 'dev-package'
      | 'central-package'
      | 'endpoint';
    /** @description One step of a version's lineage, with where to look at it: its catalog entity and/or its page in the AWS console. */
    LineageNode: {
      id: string;
      kind: components['schemas']['LineageNodeKind'];
      label: string;
      /** @description Account, stage and state, in words. */
      detail?: string;
      entityRef?: string;
      consoleUrl?: string;
    };
    /** @description A version's lineage as a graph, data first: training data, pipeline run, dev package, central package, test and prod endpoints. */
    Lineage: {
      nodes: components['schemas']['LineageNode'][];
      edges: {
        from: string;
        to: string;
      }[];
    };
    /** @description A version with its lineage: where it was promoted from and to, its approval history, the model card and where it is deployed. */
    VersionDetails: {
      version: components['schemas']['ModelVersion'];
      source?: components['schemas']['ModelVersion'];
      promotedTo: components['schemas']['ModelVersion'][];
      history: components['schemas']['ApprovalEvent'][];
      modelCard?: components['schemas']['ModelCardSummary'];
      deployments: components['schemas']['Deployment'][];
      lineage: components['schemas']['Lineage'];
    };
    /** @description What a deploy gate that does not move shows: the deploy pipeline's execution as AWS last reported it, how long it has been stuck, what to check and what may be retried. */
    DeployTrouble: {
      pipelineName: string;
      executionId?: string;
      /** @description The stage that failed or does not progress. */
      stageName?: string;
      actionName?: string;
      /** @description The action's last status in AWS (InProgress, Failed, ...). */
      status?: string;
      /**
       * Format: date-time
       * @description When the action last changed status, or the version was approved for a deploy that never started.
       */
      since?: string;
      /** @description For how long, in seconds, the deploy has not moved. */
      stuckForSeconds?: number;
      summary?: string;
      errorDetails?: {
        code?: string;
        message?: string;
      };
      /** @description The EventBridge rule that should have started the pipeline. */
      rule?: string;
      /** @description What an operator checks first. */
      check: string;
      consoleUrl: string;
      /** @description What an approver may retry now. */
      retries: components['schemas']['DeployRetry'][];
    };
    /** @description Where a version stands at one gate: derived from AWS (registry statuses, pipeline state) and, for who and why, from the audit log. */
    GateState: {
      gate: components['schemas']['LifecycleGate'];
      /** @enum {string} */
      state:
        | 'waiting'
        | 'pending'
        | 'approved'
        | 'rejected'
        | 'failed'
        | 'done'
        | 'stalled'
        | 'not-started';
      actor?: string;
      /** Format: date-time */
      at?: string;
      reason?: string;
      /** @description Decided outside Backstage (AWS console, CLI): the AWS identity SageMaker reports as having set the status and, for a dev approval, whether policy (mlRegistry.gates.externalApprovers) promotes it. */
      external?: {
        identity?: string;
        promoted?: boolean;
      };
      /** @description What the people at this gate must know, e.g. that nobody is known to have registered the version. */
      notice?: string;
      deploy?: components['schemas']['DeployTrouble'];
      /** @description For a deploy gate: what the stage's endpoints of this model run now, read from what is deployed (each endpoint's config, its model, the model's package), whichever version that is. */
      runs?: components['schemas']['StageRun'][];
      /** @description For a deploy gate: the version the deploy pipeline's running execution is rolling out to the stage, not yet what it runs. */
      rollingOut?: {
        modelPackageArn: string;
        version: number;
      };
    };
    /** @description An endpoint of a stage and the model package version it runs. */
    StageRun: {
      endpointName: string;
      accountId: string;
      status: string;
      modelPackageArn: string;
      version: number;
    };
    /** @description What an approver compares of one version, read from AWS (DescribeModelPackage, its reports, the model card). */
    VersionFacts: {
      arn: string;
      version: number;
      approvalStatus: string;
      /** @description Who registered it (SageMaker's CreatedBy, a user profile or an IAM identity). */
      registeredBy?: string;
      /** Format: date-time */
      registeredAt?: string;
      trainingData?: string;
      /** @description Where its code came from (MetadataProperties Repository, CommitId, GeneratedBy). */
      codeSources?: string[];
      images: {
        image: string;
        digest?: string;
        modelDataUrl?: string;
      }[];
      /** @description The evaluation report's metrics (model quality format), by name. */
      metrics: {
        [key: string]: number;
      };
      /** @description The bias report's S3 URI. */
      biasReport?: string;
      /** @description The newest model card version describing this version. */
      modelCard?: {
        version: number;
        status: string;
        content?: string;
      };
      /** @description What could not be read, and why. */
      problems: string[];
    };
    MetricComparison: {
      name: string;
      value?: number;
      baseline?: number;
      delta?: number;
      /** @description The configured minimum (mlRegistry.gates.thresholds). */
      threshold?: number;
      meetsThreshold?: boolean;
    };
    /** @description A version beside the one it is compared with at a decision gate: the version the next stage runs now, or else the previous approved version. */
    VersionComparison: {
      gate: components['schemas']['DecisionGate'];
      /**
       * @description next-stage: the baseline is what the next stage (test, prod) runs now; previous-approved: the newest approved version before this one; none: nothing to compare with.
       * @enum {string}
       */
      basis: 'next-stage' | 'previous-approved' | 'none';
      /**
       * @description The next stage, for basis next-stage.
       * @enum {string}
       */
      stage?: 'test' | 'prod';
      version: components['schemas']['VersionFacts'];
      baseline?: components['schemas']['VersionFacts'];
      metrics: components['schemas']['MetricComparison'][];
      /** @description What differs from the baseline. */
      changes: (
        | 'training-data'
        | 'code-sources'
        | 'image-digests'
        | 'model-card'
        | 'bias-report'
        | 'registered-by'
      )[];
      /** @description The model card's sections whose content differs. */
      modelCardChanges?: string[];
    };
    /** @description One item of the governance checklist, with what shows it holds. */
    ChecklistItem: {
      /** @description The suite's items are model-card, metrics, bias-report, container-environment and endpoint-access; a backend module (mlRegistryGovernanceChecklistExtensionPoint) may add or replace items. */
      id: string;
      /** @description What the item checks, as the officer reads it; set by items of a backend module. */
      title?: string;
      ok: boolean;
      evidence: string;
    };
    /** @description One entry of the append-only audit log. */
    AuditEntry: {
      /** Format: date-time */
      at: string;
      /** @description A user entity ref, plugin:ml-registry for automatic steps, or the AWS identity of an external decision. */
      actor: string;
      action: string;
      gate: string;
      arn: string;
      reason?: string;
      /**
       * @description external: a decision seen in AWS, taken outside Backstage; actor is then the AWS identity.
       * @enum {string}
       */
      result: 'ok' | 'failed' | 'denied' | 'conflict' | 'external';
      detail?: {
        [key: string]: unknown;
      };
    };
    /** @description Set when AWS could not be reached for an answer, which then shows the state last read from the account. */
    Staleness: {
      /**
       * Format: date-time
       * @description When the state shown was last read from the account.
       */
      since: string;
      /** @description The account that cannot be reached. */
      account: {
        accountId: string;
        name: string;
      };
      reason: components['schemas']['AwsFault'];
    };
    /** @description A version's gates, checklist and newest audit entries. */
    VersionGates: {
      /** @description The dev version, when known. */
      devArn?: string;
      /** @description Its central copy, when promoted. */
      centralArn?: string;
      gates: components['schemas']['GateState'][];
      checklist?: components['schemas']['ChecklistItem'][];
      /** @description The newest entries of the lineage's audit trail, oldest first; GET /audit pages all of them. */
      audit: components['schemas']['AuditEntry'][];
      stale?: components['schemas']['Staleness'];
    };
    /** @description One page of a version lineage's audit trail, oldest first. */
    AuditPage: {
      items: components['schemas']['AuditEntry'][];
      /** @description Pass as cursor for the next page; absent on the last. */
      nextCursor?: string;
    };
    /** @description A decision at a gate, as the signed-in user. */
    GateDecisionRequest: {
      arn: components['schemas']['ModelPackageArn'];
      gate: components['schemas']['DecisionGate'];
      /** @enum {string} */
      decision: 'approve' | 'reject';
      reason: string;
      /** @description Governance: the officer has reviewed who can invoke the endpoint. */
      accessReviewed?: boolean;
      /** @description Governance: approve although the checklist does not hold, for this written reason. */
      override?: string;
    };
    GateRetryRequest: {
      arn: components['schemas']['ModelPackageArn'];
      retry?: components['schemas']['DeployRetry'];
    };
    EntitiesResponse: {
      /** @description Backstage catalog entities. */
      items: {
        [key: string]: unknown;
      }[];
    };
    /** @description Backstage's ErrorResponseBody, as every refusal answers it: the error's name and message (never SQL, a stack or a server path; an unexpected failure is "Internal server error"), the request and the status. Only refusals by Backstage's own authentication layer, ahead of this API's routes, may carry error.stack, and only in development (NODE_ENV development). */
    Error: {
      error: {
        name: string;
        message: string;
        /** @description Development only, and only from Backstage's authentication layer. */
        stack?: string;
      };
      request: {
        method: string;
        url: string;
      };
      response: {
        statusCode: number;
      };
    };
  };
  responses: {
    /** @description A parameter or the body does not match this document; the message names it. */
    BadRequest: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description No valid Backstage token. */
    Unauthorized: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description The permission named in the message is not granted. */
    Forbidden: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description No such model version: not synced, or its account is not one of the accounts configured under mlRegistry.accounts. */
    NotFound: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description No such path: a path parameter that is empty or holds a slash makes a path this API does not have. */
    NoRoute: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description The gate is already decided or not waiting, or AWS refused the retry; the message says which. */
    Conflict: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description The body is over 64 KiB. */
    PayloadTooLarge: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description The body is not application/json (UTF-8). */
    UnsupportedMediaType: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description The AWS account of the ARN cannot be reached (throttling, server errors, network, timeout, expired or refused credentials) and nothing of it is stored to answer from, or too many reads of it are under way; the message names the account. Retry after the Retry-After header's seconds. */
    Unavailable: {
      headers: {
        'Retry-After'?: number;
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
  };
  parameters: {
    /** @description Only versions in this approval status. */
    status: components['schemas']['ApprovalStatusFilter'];
    arn: components['schemas']['ModelPackageArn'];
  };
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  ListAccounts: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The accounts */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AccountsResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
    };
  };
  ListModels: {
    parameters: {
      query?: {
        /** @description Account name or id. */
        account?: string;
        stage?: components['schemas']['AccountStage'];
        /** @description Only versions in this approval status. */
        status?: components['parameters']['status'];
        /** @description Owner entity ref, e.g. group:default/fraud-ds. */
        owner?: string;
        /** @description Only models with a version waiting at this gate. */
        pendingGate?: components['schemas']['PendingGate'];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The models */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ModelsResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
    };
  };
  ListVersions: {
    parameters: {
      query?: {
        /** @description Versions to skip. At most 2^31 - 1: within PostgreSQL's and SQLite's integers and exact in JSON. Digits only (no sign, exponent, hex or spaces). */
        offset?: number;
        limit?: number;
        sort?: 'version' | 'createdAt' | 'lastModifiedAt';
        order?: 'asc' | 'desc';
        /** @description Only versions in this approval status. */
        status?: components['parameters']['status'];
      };
      header?: never;
      path: {
        accountId: string;
        /** @description SageMaker's EntityName. */
        groupName: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of versions */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['VersionsPage'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NoRoute'];
    };
  };
  GetVersion: {
    parameters: {
      query: {
        arn: components['parameters']['arn'];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The version */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['VersionDetails'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
    };
  };
  GetGates: {
    parameters: {
      query: {
        arn: components['parameters']['arn'];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The gates; with stale when the account cannot be reached and the last state read is shown */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['VersionGates'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      503: components['responses']['Unavailable'];
    };
  };
  GetComparison: {
    parameters: {
      query: {
        arn: components['parameters']['arn'];
        gate: components['schemas']['DecisionGate'];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The comparison */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['VersionComparison'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      503: components['responses']['Unavailable'];
    };
  };
  GetAudit: {
    parameters: {
      query: {
        arn: components['parameters']['arn'];
        limit?: number;
        /** @description The nextCursor of the previous page. */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of audit entries */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuditPage'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
    };
  };
  DecideGate: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['GateDecisionRequest'];
      };
    };
    responses: {
      /** @description The gates after the decision */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['VersionGates'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      503: components['responses']['Unavailable'];
    };
  };
  RetryGate: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['GateRetryRequest'];
      };
    };
    responses: {
      /** @description The gates after the retry */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['VersionGates'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      503: components['responses']['Unavailable'];
    };
  };
  ListEntities: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The entities */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['EntitiesResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
    };
  };
}
