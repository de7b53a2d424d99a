export interface Config {
  /** The ML platform's AWS accounts, read by every ML registry plugin. */
  mlRegistry?: {
    /** The AWS region of every account's ML resources. Defaults to us-east-1. */
    region?: string;
    /**
     * An endpoint for every AWS client, for the local sandbox
     * (e.g. http://localhost:4566). Leave it out for real AWS.
     */
    endpoint?: string;
    accounts?: Array<{
      /** The 12-digit AWS account id. */
      accountId: string;
      /** The role the account plays in the platform. */
      stage: 'shared-services' | 'dev' | 'test' | 'prod' | 'governance';
      /** A short unique name: lower-case letters, digits and dashes. */
      name: string;
      /** The team owning a dev account, as an entity ref, e.g. group:default/fraud-ds. */
      team?: string;
      /**
       * A dev account's buckets promotion copies artifacts from, each checked to be
       * owned by the account. Anything else a version names is refused. Default
       * sagemaker-<region>-<account id>.
       */
      artifactBuckets?: string[];
    }>;
    /** Promotion of approved dev versions to the central registry. */
    promotion?: {
      /**
       * The ECR registries a promoted version's container images may come from: registry hosts
       * (`<account id>.dkr.ecr.<region>.amazonaws.com`, in mlRegistry.region) or account ids (that
       * account's registry in mlRegistry.region). Each image is pinned by digest on promotion.
       * Default: the shared services and dev accounts' registries and the region's SageMaker
       * built-in image registries.
       */
      imageRegistries?: string[];
    };
    gates?: {
      /**
       * Who may decide each approval gate, as group (or user) entity refs.
       * Default in development: the example organisation's lead data
       * scientists (dev registry), ML engineers (central registry) and
       * governance officers (manual approval before prod); elsewhere nobody.
       */
      approvers?: {
        'dev-approval'?: string[];
        'central-approval'?: string[];
        'governance-approval'?: string[];
      };
    };
  };
}
