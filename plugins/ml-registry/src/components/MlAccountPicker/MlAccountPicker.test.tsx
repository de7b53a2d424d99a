import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MlRegistryApi, mlRegistryApiRef } from '../../api/MlRegistryApi';
import { MlAccountPicker } from './MlAccountPicker';

const accounts = [
  {
    accountId: '111111111111',
    stage: 'shared-services',
    name: 'ml-shared-services',
    stale: false,
  },
  { accountId: '222222222222', stage: 'dev', name: 'fraud-dev', stale: false },
  { accountId: '222222222223', stage: 'dev', name: 'churn-dev', stale: false },
];

async function render(
  options: { stages?: string[] },
  onChange = jest.fn(),
  listAccounts = async () => ({ items: accounts }),
) {
  await renderInTestApp(
    <MlAccountPicker
      {...({} as any)}
      schema={{ title: 'Dev account', description: 'Where the project runs' }}
      uiSchema={{ 'ui:options': options }}
      idSchema={{ $id: 'root_account' } as any}
      onChange={onChange}
      required
      rawErrors={[]}
    />,
    {
      apis: [[mlRegistryApiRef, { listAccounts } as unknown as MlRegistryApi]],
    },
  );
  return onChange;
}

describe('MlAccountPicker', () => {
  it('offers the configured accounts of the stages asked for, by name, and hands back the name', async () => {
    const onChange = await render({ stages: ['dev'] });
    await userEvent.click(
      await screen.findByRole('button', { name: /Dev account/ }),
    );
    const options = within(screen.getByRole('listbox'))
      .getAllByRole('option')
      .map(o => o.textContent);
    expect(options).toEqual([
      'fraud-dev (dev, 222222222222)',
      'churn-dev (dev, 222222222223)',
    ]);
    await userEvent.click(screen.getByRole('option', { name: /churn-dev/ }));
    expect(onChange).toHaveBeenCalledWith('churn-dev');
    expect(screen.getByText('Where the project runs')).toBeInTheDocument();
  });

  it('says when no account of that kind is configured', async () => {
    await render({ stages: ['prod'] });
    expect(
      await screen.findByText(
        'No prod account is configured under mlRegistry.accounts',
      ),
    ).toBeInTheDocument();
  });

  it('says when the accounts cannot be read', async () => {
    await render({}, jest.fn(), async () => {
      throw new Error('503 Service Unavailable');
    });
    expect(
      await screen.findByText(
        'Could not read the accounts: 503 Service Unavailable',
      ),
    ).toBeInTheDocument();
  });
});
