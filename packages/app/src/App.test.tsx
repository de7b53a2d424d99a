import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('starts on the local sign-in page with the example users', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'ML Governance' },
            backend: { baseUrl: 'http://localhost:7007' },
            localSignIn: {
              users: [
                {
                  entityRef: 'user:default/grace.governance',
                  role: 'Governance officer',
                },
              ],
            },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    expect(await screen.findByText('grace.governance')).toBeInTheDocument();
    expect(screen.getByText('Governance officer')).toBeInTheDocument();
  }, 30_000);
});
