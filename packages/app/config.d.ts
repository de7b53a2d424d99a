export interface Config {
  /**
   * The local sign-in page's users. Local development only: the backend
   * refuses this sign-in outside the development auth environment.
   */
  localSignIn?: {
    /** @visibility frontend */
    users?: Array<{
      /** @visibility frontend */
      entityRef: string;
      /** @visibility frontend */
      role?: string;
    }>;
  };
  /**
   * The sign-in page when there is no localSignIn: the identity provider the
   * backend signs users in with (app-config.production.yaml: oidc;
   * app-config.production-alb.yaml: awsalb).
   */
  signIn?: {
    /** @visibility frontend */
    provider?: 'oidc' | 'awsalb';
  };
}
