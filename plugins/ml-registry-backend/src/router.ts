import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ACCOUNT_STAGES,
  AccountStage,
  AccountsResponse,
  MlPlatformConfig,
  ModelsResponse,
  ModelVersion,
  mlRegistryReadPermission,
  VersionDetails,
  VersionsPage,
} from '@ml-governance/plugin-ml-registry-common';
import { z } from 'zod';
import { Entity } from '@backstage/catalog-model';
import express from 'express';
import Router from 'express-promise-router';
import { AccountStore } from './database/AccountStore';
import { ModelVersionRecord, VersionStore } from './database/VersionStore';
import { modelEntityName } from './entities/catalogEntities';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  accounts: AccountStore;
  versions: VersionStore;
  platform: MlPlatformConfig;
  /** The catalog entities of every account's models, for the catalog module. */
  entities: () => Promise<Entity[]>;
}

const STATUSES = ['Approved', 'Rejected', 'PendingManualApproval'] as const;
const SORT_COLUMNS = { version: 'version', createdAt: 'created_at', lastModifiedAt: 'last_modified_at' } as const;

const modelsQuery = z.object({
  account: z.string().optional(),
  stage: z.enum(ACCOUNT_STAGES as [AccountStage, ...AccountStage[]]).optional(),
  status: z.enum(STATUSES).optional(),
}).strict();

const versionsQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  sort: z.enum(['version', 'createdAt', 'lastModifiedAt']).default('version'),
  order: z.enum(['asc', 'desc']).default('desc'),
  status: z.enum(STATUSES).optional(),
}).strict();

const versionQuery = z.object({ arn: z.string().regex(/^arn:aws[a-z-]*:sagemaker:/, 'must be a SageMaker model package ARN') }).strict();

/** Validates a request part; the 400 names each bad parameter. */
function parse<S extends z.ZodTypeAny>(schema: S, value: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map(i =>
      i.code === 'unrecognized_keys' ? `unknown ${where} parameter(s) ${i.keys.join(', ')}` : `${where} parameter '${i.path.join('.')}': ${i.message}`,
    );
    throw new InputError(problems.join('; '));
  }
  return result.data;
}

function toApi(v: ModelVersionRecord): ModelVersion {
  return { ...v, createdAt: v.createdAt.toISOString(), lastModifiedAt: v.lastModifiedAt.toISOString() };
}

export async function createRouter({
  httpAuth,
  permissions,
  accounts,
  versions,
  platform,
  entities,
}: RouterOptions): Promise<express.Router> {
  const router = Router();
  router.use(express.json());

  async function authorize(req: express.Request) {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize(
      [{ permission: mlRegistryReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${mlRegistryReadPermission.name} is not allowed for this user`,
      );
    }
  }

  router.get('/accounts', async (req, res) => {
    await authorize(req);
    const body: AccountsResponse = { items: await accounts.listAccounts() };
    res.json(body);
  });

  const accountsById = new Map(platform.accounts.map(a => [a.accountId, a]));

  router.get('/models', async (req, res) => {
    await authorize(req);
    const query = parse(modelsQuery, req.query, 'query');
    const selected = platform.accounts.filter(
      a => (!query.account || a.name === query.account || a.accountId === query.account) && (!query.stage || a.stage === query.stage),
    );
    const stats = await versions.modelStats({ accountIds: selected.map(a => a.accountId), status: query.status });
    const body: ModelsResponse = {
      items: stats.map(m => {
        const account = accountsById.get(m.accountId)!;
        return {
          entityRef: `resource:default/${modelEntityName(account.name, m.name)}`,
          accountId: m.accountId,
          accountName: account.name,
          stage: account.stage,
          groupName: m.name,
          arn: m.arn,
          ...(m.description ? { description: m.description } : {}),
          versions: m.versions,
          ...(m.latestVersion ? { latestVersion: m.latestVersion } : {}),
          statusCounts: m.statusCounts,
        };
      }),
    };
    res.json(body);
  });

  router.get('/models/:accountId/:groupName/versions', async (req, res) => {
    await authorize(req);
    const query = parse(versionsQuery, req.query, 'query');
    const page = await versions.versionsPage(req.params.accountId, req.params.groupName, {
      offset: query.offset,
      limit: query.limit,
      sortBy: SORT_COLUMNS[query.sort],
      order: query.order,
      status: query.status,
    });
    const body: VersionsPage = { items: page.items.map(toApi), totalCount: page.totalCount, offset: query.offset, limit: query.limit };
    res.json(body);
  });

  router.get('/versions/by-arn', async (req, res) => {
    await authorize(req);
    const { arn } = parse(versionQuery, req.query, 'query');
    const version = await versions.getVersion(arn);
    if (!version) throw new NotFoundError(`No model version ${arn}`);
    const source = version.sourceArn ? await versions.getVersion(version.sourceArn) : undefined;
    const body: VersionDetails = {
      version: toApi(version),
      ...(source ? { source: toApi(source) } : {}),
      promotedTo: (await versions.promotedFrom(arn)).map(toApi),
    };
    res.json(body);
  });

  // Only other backend plugins (the catalog module) read the entities.
  router.get('/entities', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    res.json({ items: await entities() });
  });

  return router;
}
