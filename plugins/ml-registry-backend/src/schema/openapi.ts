/**
 * The ML registry's REST API. Requests are validated against it (a bad
 * parameter gets a 400 naming it) and it is served at /api/ml-registry/openapi.json.
 */
// Group names as SageMaker allows them: letters, digits and single dashes, so no path tricks.
const ARN = {
  type: 'string',
  maxLength: 400,
  pattern:
    '^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\\d{12}:model-package/[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}/\\d{1,9}$',
} as const;

export const spec = {
  openapi: '3.1.0',
  info: {
    title: 'ml-registry',
    version: '1',
    description:
      'Model registries, versions, lineage and sync state of every AWS account of the ML platform.',
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
        schema: {
          type: 'string',
          enum: ['Approved', 'Rejected', 'PendingManualApproval'],
        },
      },
    },
    schemas: {
      AccountStatus: {
        type: 'object',
        additionalProperties: false,
        required: ['accountId', 'name', 'stage', 'stale'],
        properties: {
          accountId: { type: 'string' },
          name: { type: 'string' },
          stage: {
            type: 'string',
            enum: ['shared-services', 'dev', 'test', 'prod', 'governance'],
          },
          team: { type: 'string' },
          lastSyncAt: {
            type: 'string',
            format: 'date-time',
            description: 'The last successful sync.',
          },
          lastError: {
            type: 'string',
            description:
              'The error of the last failed sync; the data is then stale.',
          },
          stale: { type: 'boolean' },
        },
      },
      ModelSummary: {
        type: 'object',
        additionalProperties: false,
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
          entityRef: { type: 'string' },
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
            additionalProperties: { type: 'integer' },
          },
          owner: { type: 'string' },
        },
      },
      ModelVersion: {
        type: 'object',
        additionalProperties: false,
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
          projectId: { type: 'string' },
          trainingData: { type: 'string' },
          generatedBy: {
            type: 'string',
            description: 'The pipeline execution that registered it.',
          },
        },
      },
      VersionDetails: {
        type: 'object',
        additionalProperties: false,
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
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['approvalStatus', 'changedAt'],
              properties: {
                approvalStatus: { type: 'string' },
                approvalDescription: { type: 'string' },
                changedBy: { type: 'string' },
                changedAt: { type: 'string', format: 'date-time' },
              },
            },
          },
          modelCard: {
            type: 'object',
            additionalProperties: false,
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
              content: { type: 'string' },
              lastModifiedAt: { type: 'string', format: 'date-time' },
            },
          },
          deployments: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
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
          },
          lineage: {
            type: 'object',
            additionalProperties: false,
            required: ['nodes', 'edges'],
            description:
              'Training data, pipeline run, dev package, central package and endpoints, each with its catalog entity and AWS console page.',
            properties: {
              nodes: {
                type: 'array',
                items: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['id', 'kind', 'label'],
                  properties: {
                    id: { type: 'string' },
                    kind: {
                      type: 'string',
                      enum: [
                        'data',
                        'pipeline-run',
                        'dev-package',
                        'central-package',
                        'endpoint',
                      ],
                    },
                    label: { type: 'string' },
                    detail: { type: 'string' },
                    entityRef: { type: 'string' },
                    consoleUrl: { type: 'string' },
                  },
                },
              },
              edges: {
                type: 'array',
                items: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['from', 'to'],
                  properties: {
                    from: { type: 'string' },
                    to: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
      GateState: {
        type: 'object',
        additionalProperties: false,
        required: ['gate', 'state'],
        properties: {
          gate: {
            type: 'string',
            enum: [
              'dev-approval',
              'promotion',
              'central-approval',
              'test-deploy',
              'governance-approval',
              'prod-deploy',
            ],
          },
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
              'Decided outside Backstage (console, CLI): the AWS identity that set the status, and for a dev approval whether policy promotes it.',
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
          deploy: {
            type: 'object',
            additionalProperties: false,
            description:
              'A deploy that failed, stalled or never started: the execution as AWS last reported it, how long it has not moved, what to check and what may be retried.',
            required: ['pipelineName', 'check', 'consoleUrl', 'retries'],
            properties: {
              pipelineName: { type: 'string' },
              executionId: { type: 'string' },
              stageName: { type: 'string' },
              actionName: { type: 'string' },
              status: { type: 'string' },
              since: { type: 'string', format: 'date-time' },
              stuckForSeconds: { type: 'integer' },
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
              check: { type: 'string' },
              consoleUrl: { type: 'string' },
              retries: {
                type: 'array',
                items: { type: 'string', enum: ['failed-actions', 'pipeline'] },
              },
            },
          },
        },
      },
      AuditEntry: {
        type: 'object',
        additionalProperties: false,
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
            enum: ['ok', 'failed', 'denied', 'conflict', 'external'],
          },
          detail: { type: 'object' },
        },
      },
      VersionGates: {
        type: 'object',
        additionalProperties: false,
        required: ['gates', 'audit'],
        properties: {
          devArn: { type: 'string' },
          centralArn: { type: 'string' },
          gates: {
            type: 'array',
            items: { $ref: '#/components/schemas/GateState' },
          },
          checklist: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['id', 'ok', 'evidence'],
              properties: {
                id: {
                  type: 'string',
                  enum: [
                    'model-card',
                    'metrics',
                    'bias-report',
                    'container-environment',
                    'endpoint-access',
                  ],
                },
                ok: { type: 'boolean' },
                evidence: { type: 'string' },
              },
            },
          },
          audit: {
            type: 'array',
            maxItems: 50,
            description:
              'The newest audit entries, oldest first; GET /audit pages all of them.',
            items: { $ref: '#/components/schemas/AuditEntry' },
          },
          stale: { $ref: '#/components/schemas/Staleness' },
        },
      },
      Staleness: {
        type: 'object',
        additionalProperties: false,
        description:
          'Set when AWS could not be reached: the answer is the state last read from the account.',
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
            required: ['accountId', 'name'],
            properties: {
              accountId: { type: 'string' },
              name: { type: 'string' },
            },
          },
          reason: {
            type: 'string',
            enum: [
              'throttling',
              'server-error',
              'network',
              'timeout',
              'expired-credentials',
              'access-denied',
            ],
          },
        },
      },
      Error: {
        type: 'object',
        additionalProperties: false,
        description: "Backstage's error body.",
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              message: { type: 'string' },
            },
          },
          request: {
            type: 'object',
            properties: { method: { type: 'string' }, url: { type: 'string' } },
          },
          response: {
            type: 'object',
            properties: { statusCode: { type: 'integer' } },
          },
        },
      },
    },
    responses: {
      Error: {
        description: 'The request was refused; the message says why.',
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
                schema: {
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
              },
            },
          },
          default: { $ref: '#/components/responses/Error' },
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
            description: 'Account name or id.',
            schema: { type: 'string' },
          },
          {
            name: 'stage',
            in: 'query',
            required: false,
            schema: {
              type: 'string',
              enum: ['shared-services', 'dev', 'test', 'prod', 'governance'],
            },
          },
          { $ref: '#/components/parameters/status' },
          {
            name: 'owner',
            in: 'query',
            required: false,
            description: 'Owner entity ref, e.g. group:default/fraud-ds.',
            schema: { type: 'string' },
          },
          {
            name: 'pendingGate',
            in: 'query',
            required: false,
            description: 'Only models with a version waiting at this gate.',
            schema: {
              type: 'string',
              enum: ['dev-approval', 'central-approval'],
            },
          },
        ],
        responses: {
          '200': {
            description: 'The models',
            content: {
              'application/json': {
                schema: {
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
              },
            },
          },
          default: { $ref: '#/components/responses/Error' },
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
            schema: { type: 'string', minLength: 1, maxLength: 63 },
          },
          {
            name: 'offset',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 0, default: 0 },
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
                schema: {
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
              },
            },
          },
          default: { $ref: '#/components/responses/Error' },
        },
      },
    },
    '/versions/by-arn': {
      get: {
        operationId: 'GetVersion',
        description:
          'One version with its lineage, approval history, model card and deployments.',
        parameters: [{ name: 'arn', in: 'query', required: true, schema: ARN }],
        responses: {
          '200': {
            description: 'The version',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/VersionDetails' },
              },
            },
          },
          default: { $ref: '#/components/responses/Error' },
        },
      },
    },
    '/gates': {
      get: {
        operationId: 'GetGates',
        description:
          "A version's six gates (dev approval, promotion, central approval, test deploy, governance approval, prod deploy), the governance checklist while it waits there, and its audit trail. The ARN may be the dev version or its central copy.",
        parameters: [{ name: 'arn', in: 'query', required: true, schema: ARN }],
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
          '503': { $ref: '#/components/responses/Unavailable' },
          default: { $ref: '#/components/responses/Error' },
        },
      },
    },
    '/audit': {
      get: {
        operationId: 'GetAudit',
        description:
          "The audit trail of a version's lineage (the dev version and its central copy), oldest first, a page at a time.",
        parameters: [
          { name: 'arn', in: 'query', required: true, schema: ARN },
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
            schema: { type: 'string', pattern: '^\\d{1,18}$' },
          },
        ],
        responses: {
          '200': {
            description: 'A page of audit entries',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
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
              },
            },
          },
          default: { $ref: '#/components/responses/Error' },
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
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['arn', 'gate', 'decision', 'reason'],
                properties: {
                  arn: ARN,
                  gate: {
                    type: 'string',
                    enum: [
                      'dev-approval',
                      'central-approval',
                      'governance-approval',
                    ],
                  },
                  decision: { type: 'string', enum: ['approve', 'reject'] },
                  reason: { type: 'string', minLength: 1, maxLength: 900 },
                  accessReviewed: {
                    type: 'boolean',
                    description:
                      'Governance: who can invoke the endpoint was reviewed.',
                  },
                  override: {
                    type: 'string',
                    minLength: 1,
                    maxLength: 900,
                    description:
                      'Governance: approve although the checklist does not hold, for this reason.',
                  },
                },
              },
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
          '503': { $ref: '#/components/responses/Unavailable' },
          default: { $ref: '#/components/responses/Error' },
        },
      },
    },
    '/gates/retries': {
      post: {
        operationId: 'RetryGate',
        description:
          "Retry a failed promotion (the dev version's ARN), or a deployment that failed, stalled or never started (the central version's ARN): " +
          "its failed stage's failed actions (CodePipeline RetryStageExecution, FAILED_ACTIONS) or the whole pipeline (StartPipelineExecution). " +
          "Needs the permission of the version's approval gate; CodePipeline's refusal is a 409 naming it.",
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['arn'],
                properties: {
                  arn: ARN,
                  retry: {
                    type: 'string',
                    enum: ['failed-actions', 'pipeline'],
                    description:
                      'For a deployment: what to retry. Default pipeline.',
                  },
                },
              },
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
          '503': { $ref: '#/components/responses/Unavailable' },
          default: { $ref: '#/components/responses/Error' },
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
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['items'],
                  properties: {
                    items: { type: 'array', items: { type: 'object' } },
                  },
                },
              },
            },
          },
          default: { $ref: '#/components/responses/Error' },
        },
      },
    },
  },
} as const;
