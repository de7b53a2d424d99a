import { NotFoundError } from '@backstage/errors';
import {
  Deployment,
  VersionDetails,
} from '@ml-governance/plugin-ml-registry-common';
import { ModelVersionRecord } from '../database/VersionStore';
import { versionLineage } from '../lineage/versionLineage';
import { apiVersion } from './apiVersion';
import { RouteContext } from './RouteContext';

/** One version with its lineage, approval history, model card and deployments. */
export function versionRoutes(context: RouteContext): void {
  context.router.get('/versions/by-arn', async (req, res) => {
    await context.authorize(req);
    const body: VersionDetails = await versionDetails(context, req.query.arn);
    res.json(body);
  });
}

async function versionDetails(
  context: RouteContext,
  arn: string,
): Promise<VersionDetails> {
  const { versions, resources, accountsById, platform } = context;
  const version = await versions.getVersion(arn);
  if (!version) throw new NotFoundError(`No model version ${arn}`);
  const [source, promotedTo, history] = await Promise.all([
    version.sourceArn ? versions.getVersion(version.sourceArn) : undefined,
    versions.promotedFrom(arn),
    versions.history(arn),
  ]);
  // The card and the endpoints belong to the central copy; a dev version reaches them through its promotion.
  const copies = [version, ...promotedTo];
  const [card, deployments, projects] = await Promise.all([
    centralModelCard(context, copies),
    deploymentsOf(context, copies),
    resources.list('project'),
  ]);
  return {
    version: apiVersion(version),
    ...(source ? { source: apiVersion(source) } : {}),
    promotedTo: promotedTo.map(apiVersion),
    history: history.map(h => ({
      ...h,
      changedAt: h.changedAt.toISOString(),
    })),
    ...(card
      ? {
          modelCard: {
            ...card,
            lastModifiedAt: card.lastModifiedAt.toISOString(),
          },
        }
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
}

/** The model card of the copy among `copies` that is in a shared-services account, if any. */
async function centralModelCard(
  {
    modelCards,
    accountsById,
  }: Pick<RouteContext, 'modelCards' | 'accountsById'>,
  copies: ModelVersionRecord[],
) {
  const central = copies.find(
    v => accountsById.get(v.accountId)?.stage === 'shared-services',
  );
  return central
    ? modelCards.get(central.accountId, central.groupName)
    : undefined;
}

/** The endpoints of the accounts configured that serve one of `copies`. */
async function deploymentsOf(
  { endpoints, accountsById }: Pick<RouteContext, 'endpoints' | 'accountsById'>,
  copies: ModelVersionRecord[],
): Promise<Deployment[]> {
  const serving = await endpoints.listEndpoints({
    modelPackageArns: copies.map(v => v.arn),
  });
  return serving.flatMap(e => {
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
}
