// THIS FILE IS GENERATED; DO NOT EDIT IT. Edit src/schema/openapi.yaml of
// plugin-ml-registry-backend and run `node scripts/generate-openapi.mjs` there.
/* eslint-disable */
export const spec = {
  openapi: '3.1.0',
  info: {
    title: 'ml-registry',
    version: '1',
    description:
      'Model registries, versions, lineage and sync state of every AWS account of the ML platform. Every refusal, on every route and on paths or methods the API does not have (404, 405), answers the Error body.',
    license: {
      name: 'Apache-2.0',
      url: 'http://www.apache.org/licenses/LICENSE-2.0.html',
    },
  },
  servers: [{ url: '/' }],
  components: {
    parameters: {
      status: {
        name: 'status',
        in: 'query',
        required: false,
        description: 'Only versions in this approval status.',
        schema: { $ref: '#/components/schemas/ApprovalStatusFilter' },
      },
      arn: {
        name: 'arn',
        in: 'query',
        required: true,
        allowReserved: true,
        schema: { $ref: '#/components/schemas/ModelPackageArn' },
      },
    },
    schemas: {
      ModelPackageArn: {
        type: 'string',
        maxLength: 400,
        description:
          "A model package version's ARN, in any AWS partition. The group name is SageMaker's EntityName (letters, digits, single dashes), so no path tricks.",
        pattern:
          '^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\\d{12}:model-package/[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}/\\d{1,9}$',
      },
      AccountStage: {
        type: 'string',
        enum: ['shared-services', 'dev', 'test', 'prod', 'governance'],
      },
      ApprovalStatusFilter: {
        type: 'string',
        enum: ['Approved', 'Rejected', 'PendingManualApproval'],
      },
      PendingGate: {
        type: 'string',
        description: 'The approval gates a version waits at.',
        enum: ['dev-approval', 'central-approval'],
      },
      LifecycleGate: {
        type: 'string',
        description:
          'The stages a model version passes from its dev registry to production.',
        enum: [
          'dev-approval',
          'promotion',
          'central-approval',
          'test-deploy',
          'governance-approval',
          'prod-deploy',
        ],
      },
      DecisionGate: {
        type: 'string',
        description: 'The gates people decide on.',
        enum: ['dev-approval', 'central-approval', 'governance-approval'],
      },
      DeployRetry: {
        type: 'string',
        description:
          "How a failed or stalled deploy stage, or a deploy that never started, can be retried: the failed stage's failed actions (CodePipeline RetryStageExecution with FAILED_ACTIONS), or the whole pipeline again (StartPipelineExecution).",
        enum: ['failed-actions', 'pipeline'],
      },
      AwsFault: {
        type: 'string',
        description:
          "Why an account could not be reached: a class a person may be told, never the AWS error's message.",
        enum: [
          'throttling',
          'server-error',
          'network',
          'timeout',
          'expired-credentials',
          'access-denied',
        ],
      },
      AccountStatus: {
        type: 'object',
        additionalProperties: false,
        description: 'The sync state of one account.',
        required: ['accountId', 'name', 'stage', 'stale'],
        properties: {
          accountId: { type: 'string' },
          name: { type: 'string' },
          stage: { $ref: '#/components/schemas/AccountStage' },
          team: { type: 'string' },
          lastSyncAt: {
            type: 'string',
            format: 'date-time',
            description: 'When the account was last synced successfully.',
          },
          lastError: {
            type: 'string',
            description:
              "The error of the last failed sync; the account's data is then stale.",
          },
          stale: { type: 'boolean' },
        },
      },
      AccountsResponse: {
        type: 'object',
        additionalProperties: false,
        required: ['items'],
        properties: {
          items: {
            type: 'array',
            items: { $ref: '#/components/schemas/AccountStatus' },
          },
        },
      },
      ModelSummary: {
        type: 'object',
        additionalProperties: false,
        description: 'One model package group of one account.',
        required: [
          'entityRef',
          'accountId',
          'accountName',
          'stage',
          'groupName',
          'arn',
          'versions',
          'statusCounts',
          'owner',
        ],
        properties: {
          entityRef: {
            type: 'string',
            description:
              'The catalog entity of the model, e.g. resource:default/fraud-dev--fraud-detection.',
          },
          accountId: { type: 'string' },
          accountName: { type: 'string' },
          stage: { type: 'string' },
          groupName: { type: 'string' },
          arn: { type: 'string' },
          description: { type: 'string' },
          versions: { type: 'integer' },
          latestVersion: { type: 'integer' },
          statusCounts: {
            type: 'object',
            description: 'Versions by approval status.',
            additionalProperties: { type: 'integer' },
          },
          owner: {
            type: 'string',
            description: "The owning group, as on the model's entity.",
          },
        },
      },
      ModelsResponse: {
        type: 'object',
        additionalProperties: false,
        required: ['items'],
        properties: {
          items: {
            type: 'array',
            items: { $ref: '#/components/schemas/ModelSummary' },
          },
        },
      },
      ModelVersion: {
        type: 'object',
        additionalProperties: false,
        description: 'One model package version.',
        required: [
          'arn',
          'accountId',
          'groupName',
          'version',
          'approvalStatus',
          'createdAt',
          'lastModifiedAt',
          'metadata',
        ],
        properties: {
          arn: { type: 'string' },
          accountId: { type: 'string' },
          groupName: { type: 'string' },
          version: { type: 'integer' },
          approvalStatus: { type: 'string' },
          approvalDescription: { type: 'string' },
          createdBy: { type: 'string' },
          createdAt: { type: 'string', format: 'date-time' },
          lastModifiedAt: { type: 'string', format: 'date-time' },
          metadata: {
            type: 'object',
            additionalProperties: { type: 'string' },
            description: 'Customer metadata, e.g. metrics.',
          },
          sourceArn: {
            type: 'string',
            description: 'The dev package a central version was promoted from.',
          },
          modelDataUrl: { type: 'string' },
          projectId: {
            type: 'string',
            description: 'The SageMaker project whose pipeline registered it.',
          },
          trainingData: {
            type: 'string',
            description:
              'Where its training data came from: S3 prefix, Athena table, DataZone asset or feature group.',
          },
          generatedBy: {
            type: 'string',
            description: 'The pipeline execution that registered it.',
          },
        },
      },
      VersionsPage: {
        type: 'object',
        additionalProperties: false,
        required: ['items', 'totalCount', 'offset', 'limit'],
        properties: {
          items: {
            type: 'array',
            items: { $ref: '#/components/schemas/ModelVersion' },
          },
          totalCount: { type: 'integer' },
          offset: { type: 'integer' },
          limit: { type: 'integer' },
        },
      },
      ApprovalEvent: {
        type: 'object',
        additionalProperties: false,
        description: 'One approval state a version was seen in, oldest first.',
        required: ['approvalStatus', 'changedAt'],
        properties: {
          approvalStatus: { type: 'string' },
          approvalDescription: { type: 'string' },
          changedBy: { type: 'string' },
          changedAt: { type: 'string', format: 'date-time' },
        },
      },
      ModelCardSummary: {
        type: 'object',
        additionalProperties: false,
        description:
          "The latest version of a model's card in the central registry.",
        required: [
          'arn',
          'accountId',
          'name',
          'version',
          'status',
          'lastModifiedAt',
        ],
        properties: {
          arn: { type: 'string' },
          accountId: { type: 'string' },
          name: { type: 'string' },
          version: { type: 'integer' },
          status: { type: 'string' },
          content: { type: 'string', description: "The card's JSON content." },
          lastModifiedAt: { type: 'string', format: 'date-time' },
        },
      },
      Deployment: {
        type: 'object',
        additionalProperties: false,
        description:
          'An endpoint serving a version (or the central copy of a dev version).',
        required: [
          'stage',
          'accountId',
          'accountName',
          'endpointName',
          'endpointArn',
          'status',
          'modelPackageArn',
        ],
        properties: {
          stage: { type: 'string' },
          accountId: { type: 'string' },
          accountName: { type: 'string' },
          endpointName: { type: 'string' },
          endpointArn: { type: 'string' },
          status: { type: 'string' },
          modelPackageArn: { type: 'string' },
        },
      },
      LineageNodeKind: {
        type: 'string',
        enum: [
          'data',
          'pipeline-run',
          'dev-package',
          'central-package',
          'endpoint',
        ],
      },
      LineageNode: {
        type: 'object',
        additionalProperties: false,
        description:
          "One step of a version's lineage, with where to look at it: its catalog entity and/or its page in the AWS console.",
        required: ['id', 'kind', 'label'],
        properties: {
          id: { type: 'string' },
          kind: { $ref: '#/components/schemas/LineageNodeKind' },
          label: { type: 'string' },
          detail: {
            type: 'string',
            description: 'Account, stage and state, in words.',
          },
          entityRef: { type: 'string' },
          consoleUrl: { type: 'string' },
        },
      },
      Lineage: {
        type: 'object',
        additionalProperties: false,
        description:
          "A version's lineage as a graph, data first: training data, pipeline run, dev package, central package, test and prod endpoints.",
        required: ['nodes', 'edges'],
        properties: {
          nodes: {
            type: 'array',
            items: { $ref: '#/components/schemas/LineageNode' },
          },
          edges: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['from', 'to'],
              properties: { from: { type: 'string' }, to: { type: 'string' } },
            },
          },
        },
      },
      VersionDetails: {
        type: 'object',
        additionalProperties: false,
        description:
          'A version with its lineage: where it was promoted from and to, its approval history, the model card and where it is deployed.',
        required: [
          'version',
          'promotedTo',
          'history',
          'deployments',
          'lineage',
        ],
        properties: {
          version: { $ref: '#/components/schemas/ModelVersion' },
          source: { $ref: '#/components/schemas/ModelVersion' },
          promotedTo: {
            type: 'array',
            items: { $ref: '#/components/schemas/ModelVersion' },
          },
          history: {
            type: 'array',
            items: { $ref: '#/components/schemas/ApprovalEvent' },
          },
          modelCard: { $ref: '#/components/schemas/ModelCardSummary' },
          deployments: {
            type: 'array',
            items: { $ref: '#/components/schemas/Deployment' },
          },
          lineage: { $ref: '#/components/schemas/Lineage' },
        },
      },
      DeployTrouble: {
        type: 'object',
        additionalProperties: false,
        description:
          "What a deploy gate that does not move shows: the deploy pipeline's execution as AWS last reported it, how long it has been stuck, what to check and what may be retried.",
        required: ['pipelineName', 'check', 'consoleUrl', 'retries'],
        properties: {
          pipelineName: { type: 'string' },
          executionId: { type: 'string' },
          stageName: {
            type: 'string',
            description: 'The stage that failed or does not progress.',
          },
          actionName: { type: 'string' },
          status: {
            type: 'string',
            description:
              "The action's last status in AWS (InProgress, Failed, ...).",
          },
          since: {
            type: 'string',
            format: 'date-time',
            description:
              'When the action last changed status, or the version was approved for a deploy that never started.',
          },
          stuckForSeconds: {
            type: 'integer',
            description: 'For how long, in seconds, the deploy has not moved.',
          },
          summary: { type: 'string' },
          errorDetails: {
            type: 'object',
            additionalProperties: false,
            properties: {
              code: { type: 'string' },
              message: { type: 'string' },
            },
          },
          rule: {
            type: 'string',
            description:
              'The EventBridge rule that should have started the pipeline.',
          },
          check: {
            type: 'string',
            description: 'What an operator checks first.',
          },
          consoleUrl: { type: 'string' },
          retries: {
            type: 'array',
            description: 'What an approver may retry now.',
            items: { $ref: '#/components/schemas/DeployRetry' },
          },
        },
      },
      GateState: {
        type: 'object',
        additionalProperties: false,
        description:
          'Where a version stands at one gate: derived from AWS (registry statuses, pipeline state) and, for who and why, from the audit log.',
        required: ['gate', 'state'],
        properties: {
          gate: { $ref: '#/components/schemas/LifecycleGate' },
          state: {
            type: 'string',
            enum: [
              'waiting',
              'pending',
              'approved',
              'rejected',
              'failed',
              'done',
              'stalled',
              'not-started',
            ],
          },
          actor: { type: 'string' },
          at: { type: 'string', format: 'date-time' },
          reason: { type: 'string' },
          external: {
            type: 'object',
            additionalProperties: false,
            description:
              'Decided outside Backstage (AWS console, CLI): the AWS identity SageMaker reports as having set the status and, for a dev approval, whether policy (mlRegistry.gates.externalApprovers) promotes it.',
            properties: {
              identity: { type: 'string' },
              promoted: { type: 'boolean' },
            },
          },
          notice: {
            type: 'string',
            description:
              'What the people at this gate must know, e.g. that nobody is known to have registered the version.',
          },
          deploy: { $ref: '#/components/schemas/DeployTrouble' },
          runs: {
            type: 'array',
            description:
              "For a deploy gate: what the stage's endpoints of this model run now, read from what is deployed (each endpoint's config, its model, the model's package), whichever version that is.",
            items: { $ref: '#/components/schemas/StageRun' },
          },
          rollingOut: {
            type: 'object',
            additionalProperties: false,
            description:
              "For a deploy gate: the version the deploy pipeline's running execution is rolling out to the stage, not yet what it runs.",
            required: ['modelPackageArn', 'version'],
            properties: {
              modelPackageArn: { type: 'string' },
              version: { type: 'integer' },
            },
          },
        },
      },
      StageRun: {
        type: 'object',
        additionalProperties: false,
        description:
          'An endpoint of a stage and the model package version it runs.',
        required: [
          'endpointName',
          'accountId',
          'status',
          'modelPackageArn',
          'version',
        ],
        properties: {
          endpointName: { type: 'string' },
          accountId: { type: 'string' },
          status: { type: 'string' },
          modelPackageArn: { type: 'string' },
          version: { type: 'integer' },
        },
      },
      VersionFacts: {
        type: 'object',
        additionalProperties: false,
        description:
          'What an approver compares of one version, read from AWS (DescribeModelPackage, its reports, the model card).',
        required: [
          'arn',
          'version',
          'approvalStatus',
          'images',
          'metrics',
          'problems',
        ],
        properties: {
          arn: { type: 'string' },
          version: { type: 'integer' },
          approvalStatus: { type: 'string' },
          registeredBy: {
            type: 'string',
            description:
              "Who registered it (SageMaker's CreatedBy, a user profile or an IAM identity).",
          },
          registeredAt: { type: 'string', format: 'date-time' },
          trainingData: { type: 'string' },
          codeSources: {
            type: 'array',
            description:
              'Where its code came from (MetadataProperties Repository, CommitId, GeneratedBy).',
            items: { type: 'string' },
          },
          images: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['image'],
              properties: {
                image: { type: 'string' },
                digest: { type: 'string' },
                modelDataUrl: { type: 'string' },
              },
            },
          },
          metrics: {
            type: 'object',
            description:
              "The evaluation report's metrics (model quality format), by name.",
            additionalProperties: { type: 'number' },
          },
          biasReport: {
            type: 'string',
            description: "The bias report's S3 URI.",
          },
          modelCard: {
            type: 'object',
            additionalProperties: false,
            description:
              'The newest model card version describing this version.',
            required: ['version', 'status'],
            properties: {
              version: { type: 'integer' },
              status: { type: 'string' },
              content: { type: 'string' },
            },
          },
          problems: {
            type: 'array',
            description: 'What could not be read, and why.',
            items: { type: 'string' },
          },
        },
      },
      MetricComparison: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { type: 'string' },
          value: { type: 'number' },
          baseline: { type: 'number' },
          delta: { type: 'number' },
          threshold: {
            type: 'number',
            description:
              'The configured minimum (mlRegistry.gates.thresholds).',
          },
          meetsThreshold: { type: 'boolean' },
        },
      },
      VersionComparison: {
        type: 'object',
        additionalProperties: false,
        description:
          'A version beside the one it is compared with at a decision gate: the version the next stage runs now, or else the previous approved version.',
        required: ['gate', 'version', 'basis', 'metrics', 'changes'],
        properties: {
          gate: { $ref: '#/components/schemas/DecisionGate' },
          basis: {
            type: 'string',
            description:
              'next-stage: the baseline is what the next stage (test, prod) runs now; previous-approved: the newest approved version before this one; none: nothing to compare with.',
            enum: ['next-stage', 'previous-approved', 'none'],
          },
          stage: {
            type: 'string',
            description: 'The next stage, for basis next-stage.',
            enum: ['test', 'prod'],
          },
          version: { $ref: '#/components/schemas/VersionFacts' },
          baseline: { $ref: '#/components/schemas/VersionFacts' },
          metrics: {
            type: 'array',
            items: { $ref: '#/components/schemas/MetricComparison' },
          },
          changes: {
            type: 'array',
            description: 'What differs from the baseline.',
            items: {
              type: 'string',
              enum: [
                'training-data',
                'code-sources',
                'image-digests',
                'model-card',
                'bias-report',
                'registered-by',
              ],
            },
          },
          modelCardChanges: {
            type: 'array',
            description: "The model card's sections whose content differs.",
            items: { type: 'string' },
          },
        },
      },
      ChecklistItem: {
        type: 'object',
        additionalProperties: false,
        description:
          'One item of the governance checklist, with what shows it holds.',
        required: ['id', 'ok', 'evidence'],
        properties: {
          id: {
            type: 'string',
            description:
              "The suite's items are model-card, metrics, bias-report, container-environment and endpoint-access; a backend module (mlRegistryGovernanceChecklistExtensionPoint) may add or replace items.",
            pattern: '^[a-z0-9][a-z0-9-]{0,63}$',
          },
          title: {
            type: 'string',
            description:
              'What the item checks, as the officer reads it; set by items of a backend module.',
          },
          ok: { type: 'boolean' },
          evidence: { type: 'string' },
        },
      },
      AuditEntry: {
        type: 'object',
        additionalProperties: false,
        description: 'One entry of the append-only audit log.',
        required: ['at', 'actor', 'action', 'gate', 'arn', 'result'],
        properties: {
          at: { type: 'string', format: 'date-time' },
          actor: {
            type: 'string',
            description:
              'A user entity ref, plugin:ml-registry for automatic steps, or the AWS identity of an external decision.',
          },
          action: { type: 'string' },
          gate: { type: 'string' },
          arn: { type: 'string' },
          reason: { type: 'string', maxLength: 1000 },
          result: {
            type: 'string',
            description:
              'external: a decision seen in AWS, taken outside Backstage; actor is then the AWS identity.',
            enum: ['ok', 'failed', 'denied', 'conflict', 'external'],
          },
          detail: { type: 'object', additionalProperties: true },
        },
      },
      Staleness: {
        type: 'object',
        additionalProperties: false,
        description:
          'Set when AWS could not be reached for an answer, which then shows the state last read from the account.',
        required: ['since', 'account', 'reason'],
        properties: {
          since: {
            type: 'string',
            format: 'date-time',
            description: 'When the state shown was last read from the account.',
          },
          account: {
            type: 'object',
            additionalProperties: false,
            description: 'The account that cannot be reached.',
            required: ['accountId', 'name'],
            properties: {
              accountId: { type: 'string' },
              name: { type: 'string' },
            },
          },
          reason: { $ref: '#/components/schemas/AwsFault' },
        },
      },
      VersionGates: {
        type: 'object',
        additionalProperties: false,
        description: "A version's gates, checklist and newest audit entries.",
        required: ['gates', 'audit'],
        properties: {
          devArn: {
            type: 'string',
            description: 'The dev version, when known.',
          },
          centralArn: {
            type: 'string',
            description: 'Its central copy, when promoted.',
          },
          gates: {
            type: 'array',
            items: { $ref: '#/components/schemas/GateState' },
          },
          checklist: {
            type: 'array',
            items: { $ref: '#/components/schemas/ChecklistItem' },
          },
          audit: {
            type: 'array',
            maxItems: 50,
            description:
              "The newest entries of the lineage's audit trail, oldest first; GET /audit pages all of them.",
            items: { $ref: '#/components/schemas/AuditEntry' },
          },
          stale: { $ref: '#/components/schemas/Staleness' },
        },
      },
      AuditPage: {
        type: 'object',
        additionalProperties: false,
        description:
          "One page of a version lineage's audit trail, oldest first.",
        required: ['items'],
        properties: {
          items: {
            type: 'array',
            items: { $ref: '#/components/schemas/AuditEntry' },
          },
          nextCursor: {
            type: 'string',
            description:
              'Pass as cursor for the next page; absent on the last.',
          },
        },
      },
      GateDecisionRequest: {
        type: 'object',
        additionalProperties: false,
        description: 'A decision at a gate, as the signed-in user.',
        required: ['arn', 'gate', 'decision', 'reason'],
        properties: {
          arn: { $ref: '#/components/schemas/ModelPackageArn' },
          gate: { $ref: '#/components/schemas/DecisionGate' },
          decision: { type: 'string', enum: ['approve', 'reject'] },
          reason: { type: 'string', minLength: 1, maxLength: 900 },
          accessReviewed: {
            type: 'boolean',
            description:
              'Governance: the officer has reviewed who can invoke the endpoint.',
          },
          override: {
            type: 'string',
            minLength: 1,
            maxLength: 900,
            description:
              'Governance: approve although the checklist does not hold, for this written reason.',
          },
        },
      },
      GateRetryRequest: {
        type: 'object',
        additionalProperties: false,
        required: ['arn'],
        properties: {
          arn: { $ref: '#/components/schemas/ModelPackageArn' },
          retry: { $ref: '#/components/schemas/DeployRetry' },
        },
      },
      EntitiesResponse: {
        type: 'object',
        additionalProperties: false,
        required: ['items'],
        properties: {
          items: {
            type: 'array',
            description: 'Backstage catalog entities.',
            items: { type: 'object', additionalProperties: true },
          },
        },
      },
      Error: {
        type: 'object',
        additionalProperties: false,
        description:
          "Backstage's ErrorResponseBody, as every refusal answers it: the error's name and message (never SQL, a stack or a server path; an unexpected failure is \"Internal server error\"), the request and the status. Only refusals by Backstage's own authentication layer, ahead of this API's routes, may carry error.stack, and only in development (NODE_ENV development).",
        required: ['error', 'request', 'response'],
        properties: {
          error: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'message'],
            properties: {
              name: { type: 'string' },
              message: { type: 'string' },
              stack: {
                type: 'string',
                description:
                  "Development only, and only from Backstage's authentication layer.",
              },
            },
          },
          request: {
            type: 'object',
            additionalProperties: false,
            required: ['method', 'url'],
            properties: { method: { type: 'string' }, url: { type: 'string' } },
          },
          response: {
            type: 'object',
            additionalProperties: false,
            required: ['statusCode'],
            properties: { statusCode: { type: 'integer' } },
          },
        },
      },
    },
    responses: {
      BadRequest: {
        description:
          'A parameter or the body does not match this document; the message names it.',
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/Error' },
          },
        },
      },
      Unauthorized: {
        description: 'No valid Backstage token.',
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/Error' },
          },
        },
      },
      Forbidden: {
        description: 'The permission named in the message is not granted.',
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/Error' },
          },
        },
      },
      NotFound: {
        description:
          'No such model version: not synced, or its account is not one of the accounts configured under mlRegistry.accounts.',
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/Error' },
          },
        },
      },
      NoRoute: {
        description:
          'No such path: a path parameter that is empty or holds a slash makes a path this API does not have.',
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/Error' },
          },
        },
      },
      Conflict: {
        description:
          'The gate is already decided or not waiting, or AWS refused the retry; the message says which.',
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/Error' },
          },
        },
      },
      PayloadTooLarge: {
        description: 'The body is over 64 KiB.',
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/Error' },
          },
        },
      },
      UnsupportedMediaType: {
        description: 'The body is not application/json (UTF-8).',
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/Error' },
          },
        },
      },
      Unavailable: {
        description:
          "The AWS account of the ARN cannot be reached (throttling, server errors, network, timeout, expired or refused credentials) and nothing of it is stored to answer from, or too many reads of it are under way; the message names the account. Retry after the Retry-After header's seconds.",
        headers: { 'Retry-After': { schema: { type: 'integer' } } },
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/Error' },
          },
        },
      },
    },
  },
  paths: {
    '/accounts': {
      get: {
        operationId: 'ListAccounts',
        description: 'Every configured account with its sync state.',
        responses: {
          '200': {
            description: 'The accounts',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/AccountsResponse' },
              },
            },
          },
          '400': { $ref: '#/components/responses/BadRequest' },
          '401': { $ref: '#/components/responses/Unauthorized' },
          '403': { $ref: '#/components/responses/Forbidden' },
        },
      },
    },
    '/models': {
      get: {
        operationId: 'ListModels',
        description:
          'Every model package group of every account, with version counts by status.',
        parameters: [
          {
            name: 'account',
            in: 'query',
            required: false,
            allowReserved: true,
            description: 'Account name or id.',
            schema: { type: 'string', minLength: 1, maxLength: 200 },
          },
          {
            name: 'stage',
            in: 'query',
            required: false,
            schema: { $ref: '#/components/schemas/AccountStage' },
          },
          { $ref: '#/components/parameters/status' },
          {
            name: 'owner',
            in: 'query',
            required: false,
            allowReserved: true,
            description: 'Owner entity ref, e.g. group:default/fraud-ds.',
            schema: { type: 'string', minLength: 1, maxLength: 400 },
          },
          {
            name: 'pendingGate',
            in: 'query',
            required: false,
            description: 'Only models with a version waiting at this gate.',
            schema: { $ref: '#/components/schemas/PendingGate' },
          },
        ],
        responses: {
          '200': {
            description: 'The models',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/ModelsResponse' },
              },
            },
          },
          '400': { $ref: '#/components/responses/BadRequest' },
          '401': { $ref: '#/components/responses/Unauthorized' },
          '403': { $ref: '#/components/responses/Forbidden' },
        },
      },
    },
    '/models/{accountId}/{groupName}/versions': {
      get: {
        operationId: 'ListVersions',
        description: "One page of a model's versions.",
        parameters: [
          {
            name: 'accountId',
            in: 'path',
            required: true,
            schema: { type: 'string', pattern: '^\\d{12}$' },
          },
          {
            name: 'groupName',
            in: 'path',
            required: true,
            description: "SageMaker's EntityName.",
            schema: {
              type: 'string',
              pattern: '^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$',
            },
          },
          {
            name: 'offset',
            in: 'query',
            required: false,
            description:
              "Versions to skip. At most 2^31 - 1: within PostgreSQL's and SQLite's integers and exact in JSON. Digits only (no sign, exponent, hex or spaces).",
            schema: {
              type: 'integer',
              minimum: 0,
              maximum: 2147483647,
              default: 0,
            },
          },
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          },
          {
            name: 'sort',
            in: 'query',
            required: false,
            schema: {
              type: 'string',
              enum: ['version', 'createdAt', 'lastModifiedAt'],
              default: 'version',
            },
          },
          {
            name: 'order',
            in: 'query',
            required: false,
            schema: { type: 'string', enum: ['asc', 'desc'], default: 'desc' },
          },
          { $ref: '#/components/parameters/status' },
        ],
        responses: {
          '200': {
            description: 'A page of versions',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/VersionsPage' },
              },
            },
          },
          '400': { $ref: '#/components/responses/BadRequest' },
          '401': { $ref: '#/components/responses/Unauthorized' },
          '403': { $ref: '#/components/responses/Forbidden' },
          '404': { $ref: '#/components/responses/NoRoute' },
        },
      },
    },
    '/versions/by-arn': {
      get: {
        operationId: 'GetVersion',
        description:
          'One version with its lineage, approval history, model card and deployments.',
        parameters: [{ $ref: '#/components/parameters/arn' }],
        responses: {
          '200': {
            description: 'The version',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/VersionDetails' },
              },
            },
          },
          '400': { $ref: '#/components/responses/BadRequest' },
          '401': { $ref: '#/components/responses/Unauthorized' },
          '403': { $ref: '#/components/responses/Forbidden' },
          '404': { $ref: '#/components/responses/NotFound' },
        },
      },
    },
    '/gates': {
      get: {
        operationId: 'GetGates',
        description:
          "A version's six gates (dev approval, promotion, central approval, test deploy, governance approval, prod deploy), the governance checklist while it waits there, and its audit trail. The ARN may be the dev version or its central copy.",
        parameters: [{ $ref: '#/components/parameters/arn' }],
        responses: {
          '200': {
            description:
              'The gates; with stale when the account cannot be reached and the last state read is shown',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/VersionGates' },
              },
            },
          },
          '400': { $ref: '#/components/responses/BadRequest' },
          '401': { $ref: '#/components/responses/Unauthorized' },
          '403': { $ref: '#/components/responses/Forbidden' },
          '404': { $ref: '#/components/responses/NotFound' },
          '503': { $ref: '#/components/responses/Unavailable' },
        },
      },
    },
    '/gates/comparison': {
      get: {
        operationId: 'GetComparison',
        description:
          'What changed, for the approver of a decision gate: the version beside the version the next stage runs now (test for the central approval, prod for the governance approval), or else the previous approved version of its group, read from AWS. The ARN is the version decided on at that gate (the dev version at dev approval, the central copy after).',
        parameters: [
          { $ref: '#/components/parameters/arn' },
          {
            name: 'gate',
            in: 'query',
            required: true,
            schema: { $ref: '#/components/schemas/DecisionGate' },
          },
        ],
        responses: {
          '200': {
            description: 'The comparison',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/VersionComparison' },
              },
            },
          },
          '400': { $ref: '#/components/responses/BadRequest' },
          '401': { $ref: '#/components/responses/Unauthorized' },
          '403': { $ref: '#/components/responses/Forbidden' },
          '404': { $ref: '#/components/responses/NotFound' },
          '503': { $ref: '#/components/responses/Unavailable' },
        },
      },
    },
    '/audit': {
      get: {
        operationId: 'GetAudit',
        description:
          "The audit trail of a version's lineage (the dev version and its central copy), oldest first, a page at a time.",
        parameters: [
          { $ref: '#/components/parameters/arn' },
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
          },
          {
            name: 'cursor',
            in: 'query',
            required: false,
            description: 'The nextCursor of the previous page.',
            schema: { type: 'string', pattern: '^\\d{1,15}$' },
          },
        ],
        responses: {
          '200': {
            description: 'A page of audit entries',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/AuditPage' },
              },
            },
          },
          '400': { $ref: '#/components/responses/BadRequest' },
          '401': { $ref: '#/components/responses/Unauthorized' },
          '403': { $ref: '#/components/responses/Forbidden' },
          '404': { $ref: '#/components/responses/NotFound' },
        },
      },
    },
    '/gates/decisions': {
      post: {
        operationId: 'DecideGate',
        description:
          "Approve or reject a version at a gate, as the signed-in user. Checked by the gate's permission and separation of duties; 409 when the gate is already decided or not waiting; recorded in the audit log either way.",
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/GateDecisionRequest' },
            },
          },
        },
        responses: {
          '200': {
            description: 'The gates after the decision',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/VersionGates' },
              },
            },
          },
          '400': { $ref: '#/components/responses/BadRequest' },
          '401': { $ref: '#/components/responses/Unauthorized' },
          '403': { $ref: '#/components/responses/Forbidden' },
          '404': { $ref: '#/components/responses/NotFound' },
          '409': { $ref: '#/components/responses/Conflict' },
          '413': { $ref: '#/components/responses/PayloadTooLarge' },
          '415': { $ref: '#/components/responses/UnsupportedMediaType' },
          '503': { $ref: '#/components/responses/Unavailable' },
        },
      },
    },
    '/gates/retries': {
      post: {
        operationId: 'RetryGate',
        description:
          "Retry a failed promotion (the dev version's ARN), or a deployment that failed, stalled or never started (the central version's ARN): its failed stage's failed actions (CodePipeline RetryStageExecution, FAILED_ACTIONS) or the whole pipeline (StartPipelineExecution). Needs the permission of the version's approval gate; CodePipeline's refusal is a 409 naming it.",
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/GateRetryRequest' },
            },
          },
        },
        responses: {
          '200': {
            description: 'The gates after the retry',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/VersionGates' },
              },
            },
          },
          '400': { $ref: '#/components/responses/BadRequest' },
          '401': { $ref: '#/components/responses/Unauthorized' },
          '403': { $ref: '#/components/responses/Forbidden' },
          '404': { $ref: '#/components/responses/NotFound' },
          '409': { $ref: '#/components/responses/Conflict' },
          '413': { $ref: '#/components/responses/PayloadTooLarge' },
          '415': { $ref: '#/components/responses/UnsupportedMediaType' },
          '503': { $ref: '#/components/responses/Unavailable' },
        },
      },
    },
    '/entities': {
      get: {
        operationId: 'ListEntities',
        description:
          'The catalog entities of every account; for the catalog module (service credentials only).',
        responses: {
          '200': {
            description: 'The entities',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/EntitiesResponse' },
              },
            },
          },
          '400': { $ref: '#/components/responses/BadRequest' },
          '401': { $ref: '#/components/responses/Unauthorized' },
          '403': { $ref: '#/components/responses/Forbidden' },
        },
      },
    },
  },
} as const;
