/**
 * Everything the sandbox holds, as one JSON-serialisable object. Resources are
 * stored in the shape the AWS APIs return them (times as epoch seconds, as the
 * JSON protocols send them), so most reads are plain lookups.
 */
export type Json = Record<string, any>;

export interface RoleDef {
  accountId: string;
  name: string;
  /** Account ids whose principals may assume the role, and service principals (codebuild.amazonaws.com, ...). */
  trust: string[];
  /** Its identity policies (documents), evaluated on every call its sessions make; absent: everything is allowed. */
  policies?: any[];
}

export interface Session {
  accessKeyId: string;
  accountId: string;
  roleName: string;
  sessionName: string;
  expiration: number;
}

export interface S3Object {
  body: string; // base64
  contentType: string;
  etag: string;
  lastModified: number;
  metadata: Record<string, string>;
}

export interface Bucket {
  name: string;
  owner: string;
  createdAt: number;
  policy?: string;
  /** Its versioning state, when set (CodePipeline's S3 source needs Enabled). */
  versioning?: 'Enabled' | 'Suspended';
  objects: Record<string, S3Object>;
}

export interface QueueMessage {
  id: string;
  body: string;
  receiptHandle?: string;
  visibleAt: number;
  receiveCount: number;
  sentAt: number;
}

export interface Queue {
  name: string;
  arn: string;
  url: string;
  attributes: Record<string, string>;
  messages: QueueMessage[];
}

/** An ECR repository: its images by digest, each with the tags that point at it now. */
export interface EcrRepository {
  registryId: string;
  repositoryName: string;
  policy?: string;
  images: Record<string, { digest: string; tags: string[]; pushedAt: number }>;
}

export interface Rule {
  name: string;
  arn: string;
  eventPattern: string;
  state: 'ENABLED' | 'DISABLED';
  /** A target of another account's bus may name the role EventBridge delivers with. */
  targets: { Id: string; Arn: string; RoleArn?: string }[];
}

export interface AccountState {
  id: string;
  name: string;
  modelPackageGroups: Record<string, Json>;
  /** Keyed by ARN. */
  modelPackages: Record<string, Json>;
  /** The latest version number of each group, so creating a version is O(1). */
  packageVersions: Record<string, number>;
  /** `group/clientToken` to the ARN that token created: CreateModelPackage is idempotent. */
  clientTokens: Record<string, string>;
  modelPackageGroupPolicies: Record<string, string>;
  /** Keyed by card name; each holds every version, newest last. */
  modelCards: Record<string, Json[]>;
  domains: Record<string, Json>;
  userProfiles: Record<string, Json>;
  projects: Record<string, Json>;
  pipelines: Record<string, Json>;
  pipelineExecutions: Record<string, Json>;
  endpoints: Record<string, Json>;
  /** SageMaker models and endpoint configs (made by CloudFormation deploys), by name. */
  models: Record<string, Json>;
  endpointConfigs: Record<string, Json>;
  /** CloudFormation stacks deployed by pipelines, by name. */
  stacks: Record<string, Json>;
  codeBuildProjects: Record<string, Json>;
  /** Keyed by build id. */
  codeBuilds: Record<string, Json>;
  codePipelines: Record<string, Json>;
  codePipelineExecutions: Record<string, Json>;
  portfolios: Record<string, Json>;
  products: Record<string, Json>;
  provisionedProducts: Record<string, Json>;
  records: Record<string, Json>;
  rules: Record<string, Rule>;
  queues: Record<string, Queue>;
  /** The default bus's resource policy statements, by Sid (absent: only the account itself may put events). */
  eventBusPolicy?: Record<string, Json>;
  associations: Json[];
  tags: Record<string, { Key: string; Value: string }[]>;
}

/**
 * A simulated step due at a time, kept in the state so that a restarted
 * sandbox continues it: the name of the task that runs it and its JSON
 * arguments.
 */
export interface ScheduledStep {
  /** Epoch milliseconds. */
  due: number;
  task: string;
  args: Json;
}

export interface SandboxState {
  formatVersion: 1;
  region: string;
  accounts: Record<string, AccountState>;
  roles: RoleDef[];
  sessions: Record<string, Session>;
  buckets: Record<string, Bucket>;
  /**
   * ECR repositories by `<registry id>/<name>`, including AWS-owned registries
   * that are no scenario account (absent in a state saved before ECR was simulated).
   */
  repositories?: Record<string, EcrRepository>;
  /** Makes ids and version numbers unique across restarts. */
  sequence: number;
  /** Steps in flight, by id (absent in a state saved before steps were kept). */
  scheduled?: Record<string, ScheduledStep>;
}

/** The role `name` of `accountId`, if the sandbox has it. */
export function roleOf(
  state: SandboxState,
  accountId: string,
  name: string,
): RoleDef | undefined {
  return state.roles.find(r => r.accountId === accountId && r.name === name);
}

export function emptyAccount(id: string, name: string): AccountState {
  return {
    id,
    name,
    modelPackageGroups: {},
    modelPackages: {},
    packageVersions: {},
    clientTokens: {},
    modelPackageGroupPolicies: {},
    modelCards: {},
    domains: {},
    userProfiles: {},
    projects: {},
    pipelines: {},
    pipelineExecutions: {},
    endpoints: {},
    models: {},
    endpointConfigs: {},
    stacks: {},
    codeBuildProjects: {},
    codeBuilds: {},
    codePipelines: {},
    codePipelineExecutions: {},
    portfolios: {},
    products: {},
    provisionedProducts: {},
    records: {},
    rules: {},
    queues: {},
    associations: [],
    tags: {},
  };
}

export const nowSeconds = () => Date.now() / 1000;
