import {
  ProxiedSignInPage,
  SignInPage as CoreSignInPage,
} from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import { SignInPageProps } from '@backstage/plugin-app-react';
import { LocalSignInPage } from './LocalSignInPage';
import { oidcAuthApiRef } from './oidcAuthApi';

/**
 * The sign-in page the config asks for: the local pick-a-user page where
 * `localSignIn.users` lists users (app-config.yaml, local only), otherwise the
 * identity provider under `signIn.provider`: behind an AWS ALB the load
 * balancer has signed the user in already; with OIDC the user signs in with
 * the organization's account.
 */
export function SignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  if (config.has('localSignIn.users')) return <LocalSignInPage {...props} />;
  if (config.getOptionalString('signIn.provider') === 'awsalb') {
    return <ProxiedSignInPage {...props} provider="awsalb" />;
  }
  return (
    <CoreSignInPage
      {...props}
      provider={{
        id: 'oidc',
        title: 'Your organization',
        message: 'Sign in with your organization account',
        apiRef: oidcAuthApiRef,
      }}
    />
  );
}
