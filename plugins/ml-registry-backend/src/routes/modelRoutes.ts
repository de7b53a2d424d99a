import {
  AccountsResponse,
  DECISION_GATE_TABLE,
  MlAccount,
  ModelsFilter,
  ModelsResponse,
  ModelSummary,
  VersionsPage,
} from '@ml-governance/plugin-ml-registry-common';
import { modelOwner } from '../entities/catalogEntities';
import { modelEntityRef } from '../entities/entityRefs';
import { apiVersion } from './apiVersion';
import { RouteContext } from './RouteContext';

const SORT_COLUMNS = {
  version: 'version',
  createdAt: 'created_at',
  lastModifiedAt: 'last_modified_at',
} as const;

/** The accounts, their models and each model's versions, a page at a time. */
export function modelRoutes(context: RouteContext): void {
  const { router, authorize, accounts, versions } = context;

  router.get('/accounts', async (req, res) => {
    await authorize(req);
    const body: AccountsResponse = { items: await accounts.listAccounts() };
    res.json(body);
  });

  router.get('/models', async (req, res) => {
    await authorize(req);
    const body: ModelsResponse = {
      items: await modelSummaries(context, req.query),
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
      { offset, limit, sortBy: SORT_COLUMNS[sort], order, status },
    );
    const body: VersionsPage = {
      items: page.items.map(apiVersion),
      totalCount: page.totalCount,
      offset,
      limit,
    };
    res.json(body);
  });
}

/**
 * The accounts a filter names. A version waiting at a gate waits in the
 * registry of the gate's stage, in PendingManualApproval.
 */
function selectedAccounts(accounts: MlAccount[], query: ModelsFilter) {
  const gateStage =
    query.pendingGate && DECISION_GATE_TABLE[query.pendingGate].stage;
  return accounts.filter(
    a =>
      (!query.account ||
        a.name === query.account ||
        a.accountId === query.account) &&
      (!query.stage || a.stage === query.stage) &&
      (!gateStage || a.stage === gateStage),
  );
}

/** The models of the accounts a filter names, with their owners. */
async function modelSummaries(
  { platform, versions, accountsById, defaultOwner }: RouteContext,
  query: ModelsFilter,
): Promise<ModelSummary[]> {
  const selected = selectedAccounts(platform.accounts, query);
  const [stats, sources] = await Promise.all([
    versions.modelStats({
      accountIds: selected.map(a => a.accountId),
      status:
        query.status ??
        (query.pendingGate ? 'PendingManualApproval' : undefined),
    }),
    versions.promotionSources(),
  ]);
  const items = stats.map((m): ModelSummary => {
    const account = accountsById.get(m.accountId)!;
    return {
      entityRef: modelEntityRef(account.name, m.name),
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
  return query.owner ? items.filter(m => m.owner === query.owner) : items;
}
