import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { oidcAuthApi } from './oidcAuthApi';
import { SignInPage } from './SignInPage';

// The real OIDC auth API extension, as the app installs it.
const BACKEND = {
  app: { title: 'ML Governance' },
  backend: { baseUrl: 'http://localhost:7007' },
};
const features = [
  createFrontendModule({ pluginId: 'app', extensions: [oidcAuthApi] }),
];

describe('SignInPage', () => {
  // The auth backend with nobody signed in yet: each provider's refresh answers 401.
  const asked: string[] = [];
  const server = setupServer(
    http.get(
      'http://localhost:7007/api/auth/:provider/refresh',
      ({ params, request }) => {
        asked.push(`${params.provider}${new URL(request.url).search}`);
        return HttpResponse.json(
          {
            error: {
              name: 'AuthenticationError',
              message: 'nobody is signed in',
            },
          },
          { status: 401 },
        );
      },
    ),
  );
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    asked.length = 0;
  });
  afterAll(() => server.close());

  it('offers the example users where the local config lists them', async () => {
    await renderInTestApp(<SignInPage onSignInSuccess={jest.fn()} />, {
      features,
      config: {
        localSignIn: {
          users: [
            { entityRef: 'user:default/leo.lead', role: 'Lead data scientist' },
          ],
        },
      },
    });
    expect(
      screen.getByRole('list', { name: 'Example users' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('Sign in with your organization account'),
    ).not.toBeInTheDocument();
  });

  it('signs in through the organization’s OIDC provider in production', async () => {
    await renderInTestApp(<SignInPage onSignInSuccess={jest.fn()} />, {
      features,
      config: {
        ...BACKEND,
        auth: { environment: 'production' },
        signIn: { provider: 'oidc' },
      },
    });
    expect(
      await screen.findByText('Sign in with your organization account'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /sign in/i }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('list', { name: 'Example users' }),
    ).not.toBeInTheDocument();
    // It first looked, silently, for a session with the OIDC provider's production environment.
    expect(asked).toEqual([expect.stringMatching(/^oidc\?.*env=production/)]);
  });

  it('behind an ALB, asks the awsalb provider who the load balancer signed in', async () => {
    await renderInTestApp(<SignInPage onSignInSuccess={jest.fn()} />, {
      features,
      config: {
        ...BACKEND,
        auth: { environment: 'production' },
        signIn: { provider: 'awsalb' },
      },
    });
    // Here no load balancer signed anyone in, so the proxied sign-in says so.
    expect(
      await screen.findByText(/You do not appear to be signed in/),
    ).toBeInTheDocument();
    expect(asked).toEqual([expect.stringMatching(/^awsalb/)]);
  });
});
