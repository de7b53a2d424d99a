import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { VersionGates as Gates } from '@ml-governance/plugin-ml-registry-common';
import { MlRegistryApi, mlRegistryApiRef } from '../../api/MlRegistryApi';
import { VersionGates } from './VersionGates';

const DEV =
  'arn:aws:sagemaker:us-east-1:222222222222:model-package/fraud-detection/3';
const CENTRAL =
  'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud-detection/3';

function gates(
  states: Record<string, string>,
  extra: Partial<Gates> = {},
): Gates {
  return {
    devArn: DEV,
    centralArn: CENTRAL,
    gates: Object.entries(states).map(
      ([gate, state]) => ({ gate, state } as Gates['gates'][number]),
    ),
    audit: [],
    ...extra,
  };
}

const WAITING = {
  promotion: 'waiting',
  'central-approval': 'waiting',
  'test-deploy': 'waiting',
  'governance-approval': 'waiting',
  'prod-deploy': 'waiting',
};

async function render(
  api: Partial<MlRegistryApi>,
  allowed: (permission: string, resourceRef?: string) => boolean,
) {
  await renderInTestApp(<VersionGates arn={DEV} label="fraud-detection v3" />, {
    apis: [
      [mlRegistryApiRef, api as MlRegistryApi],
      [
        permissionApiRef,
        mockApis.permission({
          authorize: r =>
            allowed(
              r.permission.name,
              'resourceRef' in r ? r.resourceRef : undefined,
            )
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        }),
      ],
    ],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

/** The card of a gate, found by its title. */
async function findCard(title: string): Promise<HTMLElement> {
  return (await screen.findByText(title)).closest(
    '.MuiCard-root',
  ) as HTMLElement;
}

/** Expects `text` shown on `card`. */
function expectShown(card: HTMLElement, text: string) {
  expect(within(card).getByText(text)).toBeInTheDocument();
}

/** Permissions granting one gate's decision on one version, and nothing else. */
const allowedOn =
  (gate: string, arn: string) => (name: string, resourceRef?: string) =>
    name === `ml-registry.gate.${gate}` && resourceRef === arn;

describe('VersionGates', () => {
  it('shows each gate in words, and lets a permitted lead approve with a reason', async () => {
    const decide = jest.fn(async (_: object) =>
      gates({ 'dev-approval': 'approved', ...WAITING, promotion: 'pending' }),
    );
    let current = gates({ 'dev-approval': 'pending', ...WAITING });
    await render(
      {
        getGates: async () => current,
        decide: async d => {
          current = await decide(d);
          return current;
        },
      },
      name => name === 'ml-registry.gate.dev-approval',
    );

    const card = await findCard('Dev approval');
    expectShown(card, 'Pending');
    expect(screen.getAllByText('Waiting')).toHaveLength(5);

    await userEvent.click(
      await within(card).findByRole('button', { name: 'Approve' }),
    );
    const dialog = await screen.findByRole('dialog');
    const submit = within(dialog).getByRole('button', { name: 'Approve' });
    expect(submit).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText(/Reason/),
      'AUC 0.93 on holdout',
    );
    await userEvent.click(submit);
    expect(decide).toHaveBeenCalledWith({
      arn: DEV,
      gate: 'dev-approval',
      decision: 'approve',
      reason: 'AUC 0.93 on holdout',
    });
    await waitFor(() =>
      expect(within(card).getByText('Approved')).toBeInTheDocument(),
    );
  });

  it('names what each stage runs, and shows the approver of a pending decision what changed against it', async () => {
    const current = gates({
      'dev-approval': 'approved',
      promotion: 'done',
      'central-approval': 'approved',
      'test-deploy': 'done',
      'governance-approval': 'pending',
      'prod-deploy': 'waiting',
    });
    const prod =
      'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud-detection/2';
    current.gates[3].runs = [
      {
        endpointName: 'fraud-test',
        accountId: '333333333333',
        status: 'InService',
        modelPackageArn: CENTRAL,
        version: 3,
      },
    ];
    current.gates[5].runs = [
      {
        endpointName: 'fraud-prod',
        accountId: '444444444444',
        status: 'InService',
        modelPackageArn: prod,
        version: 2,
      },
    ];
    const facts = (arn: string, version: number, auc: number) => ({
      arn,
      version,
      approvalStatus: 'Approved',
      registeredBy: 'user:default/dana.scientist',
      trainingData: `s3://data/v${version}/`,
      codeSources: [],
      images: [{ image: 'xgboost', digest: 'sha256:aa' }],
      metrics: { auc },
      problems: [],
    });
    const getComparison = jest.fn(async () => ({
      gate: 'governance-approval' as const,
      basis: 'next-stage' as const,
      stage: 'prod' as const,
      version: facts(CENTRAL, 3, 0.93),
      baseline: facts(prod, 2, 0.91),
      metrics: [
        {
          name: 'auc',
          value: 0.93,
          baseline: 0.91,
          delta: 0.02,
          threshold: 0.9,
          meetsThreshold: true,
        },
      ],
      changes: ['training-data' as const],
    }));
    await render(
      { getGates: async () => current, getComparison },
      name => name === 'ml-registry.gate.governance-approval',
    );
    expect(
      await screen.findByText('Runs v2 on fraud-prod (InService)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Runs v3 on fraud-test (InService)'),
    ).toBeInTheDocument();
    const changed = await screen.findByRole('region', { name: 'What changed' });
    expect(getComparison).toHaveBeenCalledWith(CENTRAL, 'governance-approval');
    expect(
      within(changed).getByText(
        'What changed: v3 compared with v2, what prod runs now',
      ),
    ).toBeInTheDocument();
    const row = within(changed).getByRole('row', { name: /^auc / });
    expect(row).toHaveTextContent('auc0.930.91+0.02at least 0.9: met');
    expect(
      within(changed).getByText('Training data: changed'),
    ).toBeInTheDocument();
    expect(within(changed).getByText('v2: s3://data/v2/')).toBeInTheDocument();
    expect(
      within(changed).getByText('Container image: same'),
    ).toBeInTheDocument();
  });

  it('asks the permission of each gate for the version it acts on', async () => {
    // Allowed on the central copy only: the dev gate stays closed, the central one opens.
    await render(
      {
        getGates: async () =>
          gates({
            'dev-approval': 'approved',
            promotion: 'done',
            'central-approval': 'pending',
            'test-deploy': 'waiting',
            'governance-approval': 'waiting',
            'prod-deploy': 'waiting',
          }),
      },
      (_name, resourceRef) => resourceRef === CENTRAL,
    );
    const card = await findCard('Central approval');
    expect(
      await within(card).findByRole('button', { name: 'Approve' }),
    ).toBeEnabled();
  });

  it('shows an approval made outside Backstage with its AWS identity, and lets an approver adopt it when it is not promoted', async () => {
    const decide = jest.fn(async (_: object) =>
      gates({ 'dev-approval': 'approved', ...WAITING, promotion: 'pending' }),
    );
    const outside = gates({ 'dev-approval': 'approved', ...WAITING });
    outside.gates[0] = {
      gate: 'dev-approval',
      state: 'approved',
      reason: 'lgtm',
      external: { identity: 'arn:aws:iam::222222222222:root', promoted: false },
    };
    outside.gates[1] = {
      gate: 'promotion',
      state: 'waiting',
      notice:
        'Approved outside Backstage: not promoted. An approver of the dev gate adopts the approval here to promote it.',
    };
    await render(
      { getGates: async () => outside, decide },
      allowedOn('dev-approval', DEV),
    );
    const card = await findCard('Dev approval');
    expect(
      within(card).getByText(
        (_, e) =>
          e?.tagName === 'P' &&
          e.textContent === 'Approved outside Backstage by root: not promoted',
      ),
    ).toBeInTheDocument();
    // The identity is shortened, whole on hover and one click from the clipboard.
    expect(
      within(card).getByRole('button', {
        name: 'Copy the ARN arn:aws:iam::222222222222:root',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/An approver of the dev gate adopts the approval here/),
    ).toBeInTheDocument();
    await userEvent.click(
      await within(card).findByRole('button', { name: 'Adopt approval' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText(/Reason/),
      'reviewed the console approval',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    expect(decide).toHaveBeenCalledWith({
      arn: DEV,
      gate: 'dev-approval',
      decision: 'approve',
      reason: 'reviewed the console approval',
    });
  });

  it('disables the buttons, with the reason, for someone not permitted', async () => {
    await render(
      {
        getGates: async () => gates({ 'dev-approval': 'pending', ...WAITING }),
      },
      () => false,
    );
    const card = await findCard('Dev approval');
    expect(
      await within(card).findByRole('button', { name: 'Approve' }),
    ).toBeDisabled();
    expect(within(card).getByRole('button', { name: 'Reject' })).toBeDisabled();
    expectShown(card, 'You are not one of the approvers of this gate.');
  });

  it('shows the governance checklist with evidence and asks for an override when an item fails', async () => {
    const decide = jest.fn(async (_: object) => gates({}));
    await render(
      {
        getGates: async () =>
          gates(
            {
              'dev-approval': 'approved',
              promotion: 'done',
              'central-approval': 'approved',
              'test-deploy': 'done',
              'governance-approval': 'pending',
              'prod-deploy': 'waiting',
            },
            {
              checklist: [
                {
                  id: 'model-card',
                  ok: false,
                  evidence:
                    'model card fraud-detection v7 (describing v2) is PendingReview',
                },
                {
                  id: 'metrics',
                  ok: true,
                  evidence: 'auc 0.93 (at least 0.9)',
                },
                {
                  id: 'bias-report',
                  ok: true,
                  evidence: 's3://bucket/bias.json',
                },
                {
                  id: 'container-environment',
                  ok: true,
                  evidence: 'container 1: SAGEMAKER_PROGRAM=inference.py',
                },
                {
                  id: 'endpoint-access',
                  ok: false,
                  evidence: 'the officer confirms who can invoke the endpoint',
                },
              ],
            },
          ),
        decide,
      },
      name => name === 'ml-registry.gate.governance-approval',
    );

    const card = await findCard('Governance approval');
    await userEvent.click(
      await within(card).findByRole('button', { name: 'Approve' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText(
        'Does not hold: Model card of this version, approved since it was written',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'model card fraud-detection v7 (describing v2) is PendingReview',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'Holds: Metric thresholds, from the evaluation report',
      ),
    ).toBeInTheDocument();
    // The containers' environment is shown for review, neither holding nor failing.
    expect(
      within(dialog).getByText("For review: Containers' environment"),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('container 1: SAGEMAKER_PROGRAM=inference.py'),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByLabelText('I reviewed who can invoke the endpoint'),
    );
    // Pasted rather than typed key by key: the dialog's logic is under test, not the keyboard.
    await userEvent.click(within(dialog).getByLabelText(/^Reason/));
    await userEvent.paste('Release for quarter close');
    const submit = within(dialog).getByRole('button', { name: 'Approve' });
    // The model card still fails: a written override is needed.
    expect(submit).toBeDisabled();
    await userEvent.click(within(dialog).getByLabelText(/Override/));
    await userEvent.paste('Card review booked for Monday');
    await userEvent.click(submit);
    expect(decide).toHaveBeenCalledWith({
      arn: CENTRAL,
      gate: 'governance-approval',
      decision: 'approve',
      reason: 'Release for quarter close',
      accessReviewed: true,
      override: 'Card review booked for Monday',
    });
  });

  it("keeps the dialog open and shows the backend's refusal", async () => {
    await render(
      {
        getGates: async () => gates({ 'dev-approval': 'pending', ...WAITING }),
        decide: async () => {
          throw new Error('fraud-detection/3 is already Approved');
        },
      },
      () => true,
    );
    const card = await findCard('Dev approval');
    await userEvent.click(
      await within(card).findByRole('button', { name: 'Reject' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/Reason/), 'drift');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reject' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'fraud-detection/3 is already Approved',
    );
  });

  it('shows the error when the gates cannot be loaded', async () => {
    await render(
      {
        getGates: async () => {
          throw new Error('backend down');
        },
      },
      () => true,
    );
    expect(await screen.findAllByText(/backend down/)).not.toHaveLength(0);
  });

  it('shows a decision taken elsewhere without a reload while a gate is pending', async () => {
    let current = gates({ 'dev-approval': 'pending', ...WAITING });
    await renderInTestApp(
      <VersionGates arn={DEV} label="fraud-detection v3" pollMs={50} />,
      {
        apis: [
          [
            mlRegistryApiRef,
            { getGates: async () => current } as unknown as MlRegistryApi,
          ],
          [
            permissionApiRef,
            mockApis.permission({ authorize: AuthorizeResult.DENY }),
          ],
        ],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    const card = await findCard('Dev approval');
    expectShown(card, 'Pending');
    current = gates({
      'dev-approval': 'approved',
      ...WAITING,
      promotion: 'pending',
    });
    expect(await within(card).findByText('Approved')).toBeInTheDocument();
  });
  it('shows a failed deploy with what AWS reports and lets an ML engineer retry its failed actions; a refusal shows', async () => {
    const failed = gates({
      'dev-approval': 'approved',
      promotion: 'done',
      'central-approval': 'approved',
      'test-deploy': 'failed',
      'governance-approval': 'waiting',
      'prod-deploy': 'waiting',
    });
    failed.gates[3] = {
      gate: 'test-deploy',
      state: 'failed',
      reason: 'Build failed',
      deploy: {
        pipelineName: 'fraud-detection-deploy',
        executionId: 'e-1',
        stageName: 'Build',
        actionName: 'BuildImage',
        status: 'Failed',
        errorDetails: {
          code: 'JobFailed',
          message: 'Build terminated with state: FAILED',
        },
        check:
          'Build/BuildImage failed: Build terminated with state: FAILED. Read its log, fix the cause, then retry the failed actions or start the pipeline again.',
        consoleUrl:
          'https://us-east-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/fraud-detection-deploy/executions/e-1/timeline?region=us-east-1',
        retries: ['failed-actions', 'pipeline'],
      },
    };
    const retry = jest.fn(async (_: object): Promise<Gates> => {
      throw new Error(
        'CodePipeline refused to retry fraud-detection-deploy stage Build: StageNotRetryableException: changed',
      );
    });
    await render(
      { getGates: async () => failed, retry },
      allowedOn('central-approval', CENTRAL),
    );
    const card = await findCard('Deploy to test');
    expectShown(card, 'Failed');
    expectShown(card, 'Build / BuildImage: Failed');
    expectShown(card, 'Error (JobFailed): Build terminated with state: FAILED');
    expect(
      within(card).getByRole('link', {
        name: /^Execution e-1 in the AWS console/,
      }),
    ).toHaveAttribute('href', failed.gates[3].deploy!.consoleUrl);
    await userEvent.click(
      await within(card).findByRole('button', { name: 'Retry failed actions' }),
    );
    expect(retry).toHaveBeenCalledWith({
      arn: CENTRAL,
      retry: 'failed-actions',
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Retry refused: CodePipeline refused to retry fraud-detection-deploy stage Build: StageNotRetryableException: changed',
    );
  });

  it('shows a stalled deploy and one never started with what to check; only the central approvers may start the pipeline again', async () => {
    const stuck = gates({
      'dev-approval': 'approved',
      promotion: 'done',
      'central-approval': 'approved',
      'test-deploy': 'stalled',
      'governance-approval': 'waiting',
      'prod-deploy': 'waiting',
    });
    stuck.gates[3] = {
      gate: 'test-deploy',
      state: 'stalled',
      reason: 'DeployTest stalled',
      deploy: {
        pipelineName: 'fraud-detection-deploy',
        executionId: 'e-2',
        stageName: 'DeployTest',
        actionName: 'DeployEndpoint',
        status: 'InProgress',
        stuckForSeconds: 2400,
        check:
          'DeployTest/DeployEndpoint has been InProgress for 40 min without a change: check the account it deploys to, then stop the execution or start the pipeline again.',
        consoleUrl:
          'https://us-east-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/fraud-detection-deploy/executions/e-2/timeline?region=us-east-1',
        retries: ['pipeline'],
      },
    };
    const retry = jest.fn(async (_: object) => stuck);
    await render(
      { getGates: async () => stuck, retry },
      name => name === 'ml-registry.gate.central-approval',
    );
    const card = await findCard('Deploy to test');
    expectShown(card, 'Stalled');
    expectShown(card, 'DeployTest / DeployEndpoint: InProgress for 40 min');
    expect(
      within(card).getByText(
        /^Check: DeployTest\/DeployEndpoint has been InProgress for 40 min/,
      ),
    ).toBeInTheDocument();
    expect(
      within(card).queryByRole('button', { name: 'Retry failed actions' }),
    ).not.toBeInTheDocument();
    await userEvent.click(
      within(card).getByRole('button', { name: 'Start pipeline again' }),
    );
    expect(retry).toHaveBeenCalledWith({ arn: CENTRAL, retry: 'pipeline' });
  });

  it('disables the retry of a deploy that never started, with the reason, for someone not permitted', async () => {
    const notStarted = gates({
      'dev-approval': 'approved',
      promotion: 'done',
      'central-approval': 'approved',
      'test-deploy': 'not-started',
      'governance-approval': 'waiting',
      'prod-deploy': 'waiting',
    });
    notStarted.gates[3] = {
      gate: 'test-deploy',
      state: 'not-started',
      reason: 'fraud-detection-deploy not started',
      deploy: {
        pipelineName: 'fraud-detection-deploy',
        rule: 'fraud-detection-deploy-on-approval',
        stuckForSeconds: 600,
        check:
          'No execution of fraud-detection-deploy started in the 10 min since the central approval: check that the EventBridge rule fraud-detection-deploy-on-approval is ENABLED.',
        consoleUrl:
          'https://us-east-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/fraud-detection-deploy/view?region=us-east-1',
        retries: ['pipeline'],
      },
    };
    await render({ getGates: async () => notStarted }, () => false);
    const card = await findCard('Deploy to test');
    expectShown(card, 'Not started');
    expectShown(card, 'Started by the rule fraud-detection-deploy-on-approval');
    expect(
      within(card).getByRole('link', {
        name: /^fraud-detection-deploy in the AWS console/,
      }),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        within(card).getByRole('button', { name: 'Start pipeline again' }),
      ).toBeDisabled(),
    );
    expectShown(
      card,
      'Only approvers of the central gate (ML engineers) may retry.',
    );
  });
});
