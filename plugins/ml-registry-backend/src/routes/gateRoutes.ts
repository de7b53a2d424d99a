import { NotFoundError } from '@backstage/errors';
import {
  AuditPage,
  parseArn,
  VersionComparison,
  VersionGates,
} from '@ml-governance/plugin-ml-registry-common';
import { reaching } from '../gates/AccountUnreachableError';
import { RouteContext } from './RouteContext';

/**
 * A version's gates and audit trail, and the decisions and retries people
 * make at its gates.
 */
export function gateRoutes(context: RouteContext): void {
  const { router, authorize, httpAuth, gates } = context;
  const { accountOf, inAccountOf } = gateAccounts(context);

  router.get('/gates', async (req, res) => {
    await authorize(req);
    const body: VersionGates = await inAccountOf(req.query.arn, () =>
      gates.gates(req.query.arn),
    );
    res.json(body);
  });

  router.get('/gates/comparison', async (req, res) => {
    await authorize(req);
    const body: VersionComparison = await inAccountOf(req.query.arn, () =>
      gates.comparison(req.query.arn, req.query.gate),
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
}

/** The configured account of a gate request's ARN, and calls to AWS made as reaching it. */
function gateAccounts({ accountsById }: Pick<RouteContext, 'accountsById'>) {
  /** An ARN of an account not configured names no version here: 404, as on every route. */
  const accountOf = (arn: string) => {
    const accountId = parseArn(arn)?.accountId;
    const account = accountId ? accountsById.get(accountId) : undefined;
    if (!account) {
      throw new NotFoundError(
        accountId
          ? `No model version ${arn}: account ${accountId} is not one of the accounts configured under mlRegistry.accounts`
          : `No model version ${arn}: not an ARN of an AWS partition`,
      );
    }
    return account;
  };

  /**
   * A gate request's AWS calls go to the account of its ARN (a promotion's also
   * to shared services): an AWS fault is a 503 naming the account it met
   * (after the decision is recorded as failed), never a raw 500.
   */
  const inAccountOf = <T>(arn: string, call: () => Promise<T>): Promise<T> =>
    reaching(accountOf(arn), call, id => accountsById.get(id));

  return { accountOf, inAccountOf };
}
