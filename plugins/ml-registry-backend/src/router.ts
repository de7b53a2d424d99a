import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  AccountStage,
  AuditPage,
  AccountsResponse,
  MlPlatformConfig,
  ModelsResponse,
  ModelSummary,
  ModelVersion,
  mlRegistryReadPermission,
  PendingGate,
  VersionDetails,
  VersionGates,
  VersionsPage,
} from '@ml-governance/plugin-ml-registry-common';
import { reaching } from './gates/AccountUnreachableError';
import { GateService } from './gates/GateService';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { Entity } from '@backstage/catalog-model';
import express from 'express';
import Router from 'express-promise-router';
import { AccountStore } from './database/AccountStore';
import { EndpointStore } from './database/EndpointStore';
import { ModelCardStore } from './database/ModelCardStore';
import { ResourceStore } from './database/ResourceStore';
import { ModelVersionRecord, VersionStore } from './database/VersionStore';
import { modelEntityName } from '@ml-governance/plugin-ml-registry-node';
import { modelOwner } from './entities/catalogEntities';
import { versionLineage } from './lineage/versionLineage';
import { spec } from './schema/openapi.generated';
import { errorResponse } from './http/errorResponse';
import { requestChecks } from './http/requestChecks';
import { unknownRoute } from './http/unknownRoute';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  accounts: AccountStore;
  versions: VersionStore;
  endpoints: EndpointStore;
  modelCards: ModelCardStore;
  resources: ResourceStore;
  platform: MlPlatformConfig;
  defaultOwner: string;
  /** The catalog entities of every account's models, for the catalog module. */
  entities: () => Promise<Entity[]>;
  gates: GateService;
  /** Where unexpected failures are logged (their detail never goes to the client). */
  logger: LoggerService;
}

const SORT_COLUMNS = {
  version: 'version',
  createdAt: 'created_at',
  lastModifiedAt: 'last_modified_at',
} as const;

/** The account stage and approval status of a version waiting at each gate. */
const GATES: Record<PendingGate, { stage: AccountStage; status: string }> = {
  'dev-approval': { stage: 'dev', status: 'PendingManualApproval' },
  'central-approval': {
    stage: 'shared-services',
    status: 'PendingManualApproval',
  },
};

const iso = (d: Date) => d.toISOString();

function toApi(v: ModelVersionRecord): ModelVersion {
  const { lastModifiedBy: _internal, ...rest } = v;
  return {
    ...rest,
    createdAt: iso(v.createdAt),
    lastModifiedAt: iso(v.lastModifiedAt),
  };
}

/**
 * The REST API, validated against its OpenAPI document (schema/openapi.yaml,
 * typed through schema/openapi.generated.ts): a request with an unknown or
 * malformed parameter gets a 400 naming it, every refusal the document's Error
 * body. Every route checks the read permission.
 */
export async function createRouter({
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
  logger,
}: RouterOptions): Promise<express.Router> {
  const router = createValidatedOpenApiRouter(spec);

  async function authorize(req: express.Request<any, any, any, any>) {
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
    const query = req.query;
    const gate = query.pendingGate ? GATES[query.pendingGate] : undefined;
    const selected = platform.accounts.filter(
      a =>
        (!query.account ||
          a.name === query.account ||
          a.accountId === query.account) &&
        (!query.stage || a.stage === query.stage) &&
        (!gate || a.stage === gate.stage),
    );
    const [stats, sources] = await Promise.all([
      versions.modelStats({
        accountIds: selected.map(a => a.accountId),
        status: query.status ?? gate?.status,
      }),
      versions.promotionSources(),
    ]);
    const items: ModelSummary[] = stats.map(m => {
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
        owner: modelOwner(
          account,
          sources.get(m.arn) ?? [],
          accountsById,
          defaultOwner,
        ),
      };
    });
    const body: ModelsResponse = {
      items: query.owner ? items.filter(m => m.owner === query.owner) : items,
    };
    res.json(body);
  });

  router.get('/models/:accountId/:groupName/versions', async (req, res) => {
    await authorize(req);
    const {
      offset = 0,
      limit = 50,
      sort = 'version',
      order = 'desc',
      status,
    } = req.query;
    const page = await versions.versionsPage(
      req.params.accountId,
      req.params.groupName,
      {
        offset,
        limit,
        sortBy: SORT_COLUMNS[sort],
        order,
        status,
      },
    );
    const body: VersionsPage = {
      items: page.items.map(toApi),
      totalCount: page.totalCount,
      offset,
      limit,
    };
    res.json(body);
  });

  router.get('/versions/by-arn', async (req, res) => {
    await authorize(req);
    const { arn } = req.query;
    const version = await versions.getVersion(arn);
    if (!version) throw new NotFoundError(`No model version ${arn}`);
    const [source, promotedTo, history] = await Promise.all([
      version.sourceArn ? versions.getVersion(version.sourceArn) : undefined,
      versions.promotedFrom(arn),
      versions.history(arn),
    ]);
    // The card and the endpoints belong to the central copy; a dev version reaches them through its promotion.
    const central = [version, ...promotedTo].filter(
      v => accountsById.get(v.accountId)?.stage === 'shared-services',
    );
    const card = central.length
      ? await modelCards.get(central[0].accountId, central[0].groupName)
      : undefined;
    const [serving, projects] = await Promise.all([
      endpoints.listEndpoints({
        modelPackageArns: [version.arn, ...promotedTo.map(v => v.arn)],
      }),
      resources.list('project'),
    ]);
    const deployments = serving.flatMap(e => {
      const account = accountsById.get(e.accountId);
      return account
        ? [
            {
              stage: account.stage,
              accountId: e.accountId,
              accountName: account.name,
              endpointName: e.name,
              endpointArn: e.arn,
              status: e.status,
              modelPackageArn: e.modelPackageArn!,
            },
          ]
        : [];
    });
    const body: VersionDetails = {
      version: toApi(version),
      ...(source ? { source: toApi(source) } : {}),
      promotedTo: promotedTo.map(toApi),
      history: history.map(h => ({ ...h, changedAt: iso(h.changedAt) })),
      ...(card
        ? { modelCard: { ...card, lastModifiedAt: iso(card.lastModifiedAt) } }
        : {}),
      deployments,
      lineage: versionLineage({
        version,
        ...(source ? { source } : {}),
        promotedTo,
        deployments,
        accounts: accountsById,
        region: platform.region,
        projectNames: new Map(
          projects.map(p => [`${p.accountId}/${p.resourceId}`, p.name]),
        ),
      }),
    };
    res.json(body);
  });

  /** An ARN of an account not configured names no version here: 404, as on every route. */
  const accountOf = (arn: string) => {
    const accountId = arn.split(':')[4];
    const account = accountsById.get(accountId);
    if (!account) {
      throw new NotFoundError(
        `No model version ${arn}: account ${accountId} is not one of the accounts configured under mlRegistry.accounts`,
      );
    }
    return account;
  };

  /**
   * A gate request's AWS calls go to the account of its ARN (a promotion's also
   * to shared services): an AWS fault is a 503 naming the account it met
   * (after the decision is recorded as failed), never a raw 500.
   */
  const inAccountOf = <T>(arn: string, call: () => Promise<T>): Promise<T> => {
    const account = accountOf(arn);
    return reaching(account, call, id => accountsById.get(id));
  };

  router.get('/gates', async (req, res) => {
    await authorize(req);
    const body: VersionGates = await inAccountOf(req.query.arn, () =>
      gates.gates(req.query.arn),
    );
    res.json(body);
  });

  router.get('/audit', async (req, res) => {
    await authorize(req);
    const { arn, limit = 50, cursor } = req.query;
    accountOf(arn);
    const body: AuditPage = await gates.auditPage(arn, {
      limit,
      ...(cursor ? { cursor } : {}),
    });
    res.json(body);
  });

  // Each gate's own permission is checked by the gate service, which records refusals too.
  router.post('/gates/decisions', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const body: VersionGates = await inAccountOf(req.body.arn, () =>
      gates.decide({ credentials, ...req.body }),
    );
    res.json(body);
  });

  router.post('/gates/retries', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const body: VersionGates = await inAccountOf(req.body.arn, () =>
      gates.retry(credentials, req.body.arn, req.body.retry),
    );
    res.json(body);
  });

  // Only other backend plugins (the catalog module) read the entities.
  router.get('/entities', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    res.json({ items: await entities() });
  });

  const api = Router();
  api.use(requestChecks());
  api.use(router);
  api.use(unknownRoute());
  api.use(errorResponse({ logger }));
  return api;
}
