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
}
