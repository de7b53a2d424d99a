export interface Config {
  mlRegistry?: {
    /**
     * The groups (or users) who own the templates and the account topology:
     * they run any action in any account and alone register catalog
     * locations. Default: group:default/platform-engineers.
     */
    platformEngineers?: string[];
    /**
     * Who may see and run the templates of each audience (a Template's
     * ml-governance.io/template-audience annotation), and the scaffolder
     * actions only that audience may run. An audience given here replaces its
     * default; defaults: ml-admin (lead data scientists, platform engineers),
     * ml-experiment (data scientists, lead data scientists), ml-deploy (ML engineers).
     */
    templateAccess?: {
      [audience: string]: {
        /** Group (or user) entity refs. */
        groups?: string[];
        /** Action ids, e.g. sagemaker:domain:create. */
        actions?: string[];
      };
    };
  };
}
