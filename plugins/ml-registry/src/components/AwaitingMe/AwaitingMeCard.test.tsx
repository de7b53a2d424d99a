import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { modelSummary } from '../../__testUtils__/modelSummary';
import { permissionsByAccount } from '../../__testUtils__/permissionsByAccount';
import { identityApiRef } from '@backstage/frontend-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import {
  GateState,
  ModelSummary,
} from '@ml-governance/plugin-ml-registry-common';
import { MlRegistryApi, mlRegistryApiRef } from '../../api/MlRegistryApi';
import { AwaitingMeCard } from './AwaitingMeCard';

const FRAUD_DEV = modelSummary(
  '222222222222',
  'fraud-dev',
  'dev',
  'fraud-detection',
);
const CHURN_DEV = modelSummary(
  '222222222223',
  'churn-dev',
  'dev',
  'churn-prediction',
);
const CENTRAL = modelSummary(
  '111111111111',
  'ml-shared',
  'shared-services',
  'fraud-detection',
);
const arn = (m: ModelSummary, v: number) =>
  `${m.arn.replace('model-package-group', 'model-package')}/${v}`;

/** The registry as the backend answers: two dev versions pending, one central pending, v2 central at the governance gate. */
const api: Partial<MlRegistryApi> = {
  listModels: async filter => {
    if (filter?.pendingGate === 'dev-approval')
      return { items: [FRAUD_DEV, CHURN_DEV] };
    const central =
      filter?.pendingGate === 'central-approval' ||
      filter?.status === 'Approved';
    return { items: central ? [CENTRAL] : [] };
  },
  listVersions: async (accountId, groupName, query) => {
    const m = [FRAUD_DEV, CHURN_DEV, CENTRAL].find(
      x => x.accountId === accountId && x.groupName === groupName,
    )!;
    const numbers = query?.status === 'Approved' ? [2, 1] : [3];
    return {
      items: numbers.map(v => ({
        arn: arn(m, v),
        accountId,
        groupName,
        version: v,
        approvalStatus: query?.status ?? '',
        createdAt: '2026-11-25T10:00:00Z',
        lastModifiedAt: '2026-11-25T10:00:00Z',
        metadata: {},
      })),
      totalCount: numbers.length,
      offset: 0,
      limit: 20,
    };
  },
  getGates: async a => ({
    gates: [
      {
        gate: 'governance-approval',
        state: a === arn(CENTRAL, 2) ? 'pending' : 'approved',
      } as GateState,
    ],
    audit: [],
  }),
};

/** Signs in a user of `groups`, allowed the gate permissions on the accounts given. */
async function render(groups: string[], allowed: [string, string][]) {
  await renderInTestApp(<AwaitingMeCard />, {
    apis: [
      [mlRegistryApiRef, api as MlRegistryApi],
      [
        identityApiRef,
        mockApis.identity({
          userEntityRef: 'user:default/someone',
          ownershipEntityRefs: ['user:default/someone', ...groups],
        }),
      ],
      permissionsByAccount(allowed),
    ],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

describe('AwaitingMeCard', () => {
  it("lists a lead's own team's dev approvals, each linking to its card", async () => {
    await render(
      ['group:default/lead-data-scientists', 'group:default/fraud-ds'],
      [['ml-registry.gate.dev-approval', '222222222222']],
    );
    const list = await screen.findByRole('list', {
      name: 'Decisions awaiting me',
    });
    const links = within(list).getAllByRole('link');
    expect(links.map(l => l.textContent)).toEqual([
      'Dev approval: fraud-detection v3',
    ]);
    expect(links[0]).toHaveAttribute(
      'href',
      '/catalog/default/resource/fraud-dev--fraud-detection/model?version=3#gate-dev-approval',
    );
  });

  it("lists a governance officer's pipeline approvals, read only for the versions they may decide", async () => {
    await render(
      ['group:default/governance-officers'],
      [['ml-registry.gate.governance-approval', '111111111111']],
    );
    const list = await screen.findByRole('list', {
      name: 'Decisions awaiting me',
    });
    expect(
      within(list)
        .getAllByRole('link')
        .map(l => l.textContent),
    ).toEqual(['Governance approval: fraud-detection v2']);
  });

  it('tells a user with nothing to do why, naming their groups and what waits for others', async () => {
    await render(['group:default/data-scientists'], []);
    expect(
      await screen.findByText(
        /Nothing awaits your decision: no version waits at a gate your groups decide \(group:default\/data-scientists\)\. Waiting for others: 2 dev approvals \(for lead data scientists\), 1 central approval \(for ML engineers\)\./,
      ),
    ).toBeInTheDocument();
  });
});
