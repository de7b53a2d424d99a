import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { LocalSignInPage } from './LocalSignInPage';

describe('LocalSignInPage', () => {
  it('offers each example user with their role', async () => {
    await renderInTestApp(<LocalSignInPage onSignInSuccess={jest.fn()} />, {
      config: {
        app: { title: 'ML Governance' },
        localSignIn: {
          users: [
            {
              entityRef: 'user:default/grace.governance',
              role: 'Governance officer',
            },
            { entityRef: 'user:default/mo.engineer', role: 'ML engineer' },
          ],
        },
      },
    });
    expect(screen.getByText('grace.governance')).toBeInTheDocument();
    expect(screen.getByText('Governance officer')).toBeInTheDocument();
    expect(screen.getByText('mo.engineer')).toBeInTheDocument();
    expect(screen.getByText(/For local development only/)).toBeInTheDocument();
  });

  it('says where the users come from when none are listed', async () => {
    await renderInTestApp(<LocalSignInPage onSignInSuccess={jest.fn()} />);
    expect(
      screen.getByText(/No users are listed under localSignIn.users/),
    ).toBeInTheDocument();
  });
});
