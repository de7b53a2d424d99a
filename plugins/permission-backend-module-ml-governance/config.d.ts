export interface Config {
  mlRegistry?: {
    gates?: {
      /**
       * Who may decide each approval gate, as group (or user) entity refs.
       * Defaults: lead data scientists the dev registry, ML engineers the
       * central registry, governance officers the manual approval before prod.
       */
      approvers?: {
        'dev-approval'?: string[];
        'central-approval'?: string[];
        'governance-approval'?: string[];
      };
    };
  };
}
