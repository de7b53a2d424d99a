import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { applyStack, readTemplate } from './cloudFormation';
import { rootContext } from './context';
import { SandboxCore } from './core';
import { createDeployPipelineFromBundle } from './deployPipelineBundle';
import { sagemakerOperations } from './services/sagemaker';
import { putEndpoint } from './services/sagemaker/resources';
import { codePipelineOperations } from './services/codepipeline';
import { putRepository } from './services/ecr';
import { putObject } from './services/s3';
import { emptyAccount, Json, nowSeconds, SandboxState } from './state';
import { Fault } from './faults';

/** The scenario file: accounts, roles, CloudFormation stacks, buckets, portfolios and seed models. */
export interface Scenario {
  region?: string;
  accounts: { id: string; name: string; stage?: string }[];
  /**
   * Roles to assume, each named with its trust. (An entry with `cloudFormation`
   * instead is read as a stack of that template: see `stacks`.)
   */
  roles?: {
    account: string;
    name: string;
    trust: string[];
    policies?: unknown[];
  }[];
  /**
   * CloudFormation templates applied to an account as a StackSet instance
   * would be (`template` relative to the scenario file, with `parameters`):
   * their roles (whose identity policies the sandbox enforces), rules, bus
   * policies, queues and queue policies.
   */
  stacks?: {
    account: string;
    template: string;
    parameters?: Record<string, string>;
  }[];
  /** Buckets, with objects to seed (key to text), such as the teams' training data. */
  buckets?: {
    name: string;
    account: string;
    policy?: Json;
    objects?: Record<string, string>;
  }[];
  /**
   * ECR repositories with their images (tag to `sha256:` digest) and policy. An
   * `account` that is no scenario account is an AWS-owned registry (the SageMaker
   * built-in algorithm images), which needs a policy to be readable at all.
   */
  ecr?: {
    account: string;
    repository: string;
    tags: Record<string, string>;
    policy?: Json;
  }[];
  portfolios?: {
    account: string;
    id: string;
    name: string;
    description?: string;
    /** Accounts the portfolio is shared with (and imported by), whose users can launch its products too. */
    shareWith?: string[];
    products: {
      id: string;
      name: string;
      description?: string;
      owner?: string;
      artifacts?: string[];
      parameters?: Json[];
      outputs?: Record<string, string>;
      /** An account factory: provisioning creates an account (named by this parameter) with these roles; outputs may use {{$AccountId}}. */
      vends?: {
        nameParameter: string;
        roles: { name: string; trust: string[] }[];
      };
    }[];
  }[];
  domains?: { account: string; name: string }[];
  /** SageMaker projects, each made from a Service Catalog product (with its provisioning parameters) the account can use. */
  projects?: {
    account: string;
    name: string;
    description?: string;
    product: string;
    parameters?: Record<string, string>;
  }[];
  models?: {
    name: string;
    account: string;
    description?: string;
    project?: string;
    trainingData?: string;
    versions: {
      dev: string;
      central?: string;
      reason?: string;
      deployed?: string[];
    }[];
  }[];
  /**
   * Deploy pipelines of a central model group, each made from the suite's deploy
   * pipeline bundle (`bundle`, relative to the scenario file) as the scaffolder
   * action makes it, with the bundle's `parameters` (PipelineName, SharedAccountId
   * and Region come from `name`, `account` and the scenario); `start` starts a run.
   */
  deployPipelines?: {
    name: string;
    account: string;
    bundle: string;
    parameters?: Record<string, string>;
    start?: boolean;
  }[];
  faults?: Fault[];
}

function fail(where: string, message: string): never {
  throw new Error(`aws-sandbox scenario: ${where}: ${message}`);
}

/** Parses and checks a scenario; every error names the file and the key. */
export function readScenario(file: string): Scenario {
  let doc: any;
  try {
    doc = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (e: any) {
    fail(file, e.message);
  }
  if (!Array.isArray(doc?.accounts) || doc.accounts.length === 0)
    fail(file, 'accounts must list at least one account');
  const ids = new Set<string>();
  doc.accounts.forEach((a: any, i: number) => {
    if (!/^\d{12}$/.test(String(a?.id)))
      fail(file, `accounts[${i}].id must be a 12-digit account id (quote it)`);
    if (!a.name) fail(file, `accounts[${i}].name is missing`);
    if (ids.has(a.id)) fail(file, `accounts[${i}].id ${a.id} is listed twice`);
    ids.add(a.id);
  });
  const known = (value: unknown, key: string) => {
    if (!ids.has(String(value)))
      fail(file, `${key}: account ${value} is not listed under accounts`);
  };
  for (const key of ['queues', 'rules']) {
    if (doc[key])
      fail(
        file,
        `${key}: queues and rules are made by CloudFormation templates now; apply one under stacks`,
      );
  }
  const templateStacks = (doc.roles ?? [])
    .filter((r: any) => r.cloudFormation)
    .map((r: any) => ({
      account: r.account,
      template: r.cloudFormation,
      parameters: r.parameters,
    }));
  doc.roles = (doc.roles ?? []).filter((r: any) => !r.cloudFormation);
  doc.roles.forEach((r: any, i: number) => {
    known(r.account, `roles[${i}].account`);
    if (!Array.isArray(r.trust))
      fail(file, `roles[${i}].trust must list account ids`);
  });
  doc.stacks = [...templateStacks, ...(doc.stacks ?? [])].map(
    (s: any, i: number) => {
      known(s.account, `stacks[${i}].account`);
      if (typeof s.template !== 'string')
        fail(
          file,
          `stacks[${i}].template must name a CloudFormation template file`,
        );
      const parameters = Object.entries(s.parameters ?? {});
      const notString = parameters.find(([, v]) => typeof v !== 'string');
      if (notString)
        fail(
          file,
          `stacks[${i}].parameters.${notString[0]} must be a string (quote it; lists are comma-separated, as CloudFormation takes them)`,
        );
      return {
        account: String(s.account),
        template: path.resolve(path.dirname(file), s.template),
        parameters: s.parameters,
      };
    },
  );
  doc.buckets?.forEach((b: any, i: number) =>
    known(b.account, `buckets[${i}].account`),
  );
  doc.domains?.forEach((d: any, i: number) =>
    known(d.account, `domains[${i}].account`),
  );
  doc.ecr?.forEach((r: any, i: number) => {
    if (!/^\d{12}$/.test(String(r?.account)))
      fail(
        file,
        `ecr[${i}].account must be a 12-digit registry (account) id (quote it)`,
      );
    if (!ids.has(String(r.account)) && !r.policy)
      fail(
        file,
        `ecr[${i}].policy: registry ${r.account} is no scenario account, so only a repository policy makes it readable`,
      );
    if (typeof r.repository !== 'string')
      fail(file, `ecr[${i}].repository must name the repository`);
    const badTag = Object.entries(r.tags ?? {}).find(
      ([, digest]) => !/^sha256:[0-9a-f]{64}$/.test(String(digest)),
    );
    if (badTag)
      fail(
        file,
        `ecr[${i}].tags.${badTag[0]} must be an image digest, sha256:<64 hex digits>`,
      );
  });
  doc.portfolios?.forEach((p: any, i: number) =>
    (p.shareWith ?? []).forEach((a: unknown, j: number) =>
      known(a, `portfolios[${i}].shareWith[${j}]`),
    ),
  );
  doc.projects?.forEach((p: any, i: number) => {
    known(p.account, `projects[${i}].account`);
    const usable = doc.portfolios?.some(
      (f: any) =>
        [f.account, ...(f.shareWith ?? [])]
          .map(String)
          .includes(String(p.account)) &&
        f.products?.some((product: any) => product.id === p.product),
    );
    if (!usable)
      fail(
        file,
        `projects[${i}].product: ${p.product} is no product of a portfolio account ${p.account} owns or is shared`,
      );
  });
  doc.deployPipelines = (doc.deployPipelines ?? []).map((p: any, i: number) => {
    known(p.account, `deployPipelines[${i}].account`);
    if (typeof p.bundle !== 'string')
      fail(
        file,
        `deployPipelines[${i}].bundle must name the deploy pipeline bundle's directory`,
      );
    if (typeof p.name !== 'string')
      fail(file, `deployPipelines[${i}].name must name the pipeline`);
    const notString = Object.entries(p.parameters ?? {}).find(
      ([, v]) => typeof v !== 'string',
    );
    if (notString)
      fail(
        file,
        `deployPipelines[${i}].parameters.${notString[0]} must be a string (quote it)`,
      );
    return {
      ...p,
      account: String(p.account),
      bundle: path.resolve(path.dirname(file), p.bundle),
    };
  });
  doc.models?.forEach((m: any, i: number) => {
    known(m.account, `models[${i}].account`);
    if (
      m.project &&
      !doc.projects?.some(
        (p: any) => p.name === m.project && p.account === m.account,
      )
    ) {
      fail(
        file,
        `models[${i}].project: ${m.project} is not listed under projects in account ${m.account}`,
      );
    }
    if (!Array.isArray(m.versions))
      fail(file, `models[${i}].versions must be a list`);
  });
  return doc as Scenario;
}

/** A StackSet's stack instance is named StackSet-<name>-<id>; the sandbox names it after its template. */
const stackName = (template: string) =>
  `StackSet-${path.basename(template, path.extname(template))}`;

const shared = (scenario: Scenario) =>
  scenario.accounts.find(a => a.stage === 'shared-services')?.id;

function modelCardContent(
  name: string,
  description: string | undefined,
  metrics: Json,
) {
  return JSON.stringify({
    model_overview: {
      model_name: name,
      model_description: description ?? name,
      problem_type: 'Binary Classification',
    },
    intended_uses: {
      purpose_of_model: description ?? name,
      risk_rating: 'Medium',
    },
    evaluation_details: [
      {
        name: 'holdout',
        metric_groups: [
          {
            name: 'quality',
            metric_data: Object.entries(metrics).map(([k, v]) => ({
              name: k,
              type: 'number',
              value: v,
            })),
          },
        ],
      },
    ],
  });
}

/** Builds the initial state from a scenario, seeding through the operations themselves. */
export async function seedScenario(core: SandboxCore, scenario: Scenario) {
  const state: SandboxState = core.state;
  state.region = scenario.region ?? state.region;
  for (const a of scenario.accounts)
    state.accounts[a.id] = emptyAccount(a.id, a.name);
  state.roles = (scenario.roles ?? []).map(r => ({
    accountId: r.account,
    name: r.name,
    trust: r.trust.map(String),
    ...(r.policies ? { policies: r.policies } : {}),
  }));
  for (const b of scenario.buckets ?? []) {
    state.buckets[b.name] = {
      name: b.name,
      owner: b.account,
      createdAt: nowSeconds(),
      objects: {},
      policy: b.policy ? JSON.stringify(b.policy) : undefined,
    };
    for (const [key, text] of Object.entries(b.objects ?? {}))
      putObject(core, b.account, b.name, key, Buffer.from(text), 'text/csv');
  }
  for (const r of scenario.ecr ?? []) {
    putRepository(
      core,
      String(r.account),
      r.repository,
      r.tags ?? {},
      r.policy ? JSON.stringify(r.policy) : undefined,
    );
  }
  for (const p of scenario.portfolios ?? []) {
    const portfolio = {
      Id: p.id,
      ARN: core.arn('catalog', p.account, `portfolio/${p.id}`),
      DisplayName: p.name,
      Description: p.description,
      ProviderName: 'Platform engineering',
      CreatedTime: nowSeconds(),
    };
    // A shared portfolio, once imported, offers the same products in the recipient account.
    for (const accountId of [p.account, ...(p.shareWith ?? [])]) {
      const account = core.account(accountId);
      account.portfolios[p.id] = portfolio;
      for (const product of p.products) {
        const existing = account.products[product.id];
        account.products[product.id] = existing
          ? { ...existing, PortfolioIds: [...existing.PortfolioIds, p.id] }
          : {
              Id: product.id,
              Name: product.name,
              Description: product.description,
              Owner: product.owner ?? 'Platform engineering',
              PortfolioIds: [p.id],
              ProvisioningArtifacts: (product.artifacts ?? ['v1']).map(
                (name, i) => ({
                  Id: `pa-${product.id.slice(5)}${i}`,
                  Name: name,
                  CreatedTime: nowSeconds(),
                  Guidance: 'DEFAULT',
                }),
              ),
              Parameters: product.parameters ?? [],
              Outputs: product.outputs ?? {},
              ...(product.vends ? { Vends: product.vends } : {}),
            };
      }
    }
  }
  for (const d of scenario.domains ?? []) {
    sagemakerOperations.CreateDomain(
      {
        DomainName: d.name,
        AuthMode: 'IAM',
        VpcId: 'vpc-0a1b2c3d',
        SubnetIds: ['subnet-0a1b2c3d'],
        DefaultUserSettings: {
          ExecutionRole: `arn:aws:iam::${d.account}:role/sagemaker-execution`,
        },
      },
      rootContext(core, d.account),
    );
  }
  for (const p of scenario.projects ?? []) {
    sagemakerOperations.CreateProject(
      {
        ProjectName: p.name,
        ProjectDescription: p.description,
        ServiceCatalogProvisioningDetails: {
          ProductId: p.product,
          ProvisioningParameters: Object.entries(p.parameters ?? {}).map(
            ([Key, Value]) => ({ Key, Value }),
          ),
        },
      },
      rootContext(core, p.account),
    );
  }
  seedModels(core, scenario);
  // After the seed models, as the event plumbing is deployed to accounts that already hold them.
  for (const s of scenario.stacks ?? []) {
    applyStack(core, {
      source: s.template,
      template: readTemplate(s.template),
      accountId: s.account,
      stackName: stackName(s.template),
      parameters: s.parameters,
    });
  }
  // After the stacks, which make the pipelines' bucket and roles.
  for (const p of scenario.deployPipelines ?? []) {
    const name = await createDeployPipelineFromBundle(
      core,
      p.bundle,
      p.account,
      {
        PipelineName: p.name,
        SharedAccountId: p.account,
        Region: core.region,
        ...p.parameters,
      },
    );
    if (p.start)
      codePipelineOperations.StartPipelineExecution(
        { name },
        rootContext(core, p.account),
      );
  }
  core.faults.set(scenario.faults ?? []);
}

/**
 * Seeds each model: its dev group with one package per version in the given
 * state; versions promoted to the central registry get a central package
 * (carrying the source ARN), the model a card; deployed ones an endpoint.
 * The central group and card bear the dev group's name, as promotions made
 * before central groups were named per dev account left them.
 */
function seedModels(core: SandboxCore, scenario: Scenario) {
  const centralAccount = shared(scenario);
  for (const model of scenario.models ?? []) {
    const dev = rootContext(core, model.account);
    sagemakerOperations.CreateModelPackageGroup(
      {
        ModelPackageGroupName: model.name,
        ModelPackageGroupDescription: model.description,
      },
      dev,
    );
    const central = centralAccount
      ? rootContext(core, centralAccount)
      : undefined;
    if (central && model.versions.some(v => v.central)) {
      sagemakerOperations.CreateModelPackageGroup(
        {
          ModelPackageGroupName: model.name,
          ModelPackageGroupDescription: model.description,
        },
        central,
      );
      // Shared with the test and prod accounts, whose deploy roles create models from its packages, as promotion shares it.
      const readers = scenario.accounts
        .filter(a => a.stage === 'test' || a.stage === 'prod')
        .map(a => `arn:aws:iam::${a.id}:root`);
      const arn = core.arn('sagemaker', central.account.id, 'model-package');
      sagemakerOperations.PutModelPackageGroupPolicy(
        {
          ModelPackageGroupName: model.name,
          ResourcePolicy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'CrossAccountRead',
                Effect: 'Allow',
                Principal: { AWS: readers },
                Action: [
                  'sagemaker:DescribeModelPackage',
                  'sagemaker:DescribeModelPackageGroup',
                  'sagemaker:ListModelPackages',
                ],
                Resource: [
                  `${arn}-group/${model.name}`,
                  `${arn}/${model.name}/*`,
                ],
              },
            ],
          }),
        },
        central,
      );
    }
    model.versions.forEach((v, i) => {
      const bucket = `sagemaker-${core.region}-${model.account}`;
      const prefix = `${model.name}/v${i + 1}`;
      const metrics = {
        accuracy: Number((0.88 + i * 0.012).toFixed(3)),
        auc: Number((0.91 + i * 0.01).toFixed(3)),
      };
      putObject(
        core,
        model.account,
        bucket,
        `${prefix}/model.tar.gz`,
        Buffer.from(`${model.name} v${i + 1}`),
        'application/gzip',
      );
      putObject(
        core,
        model.account,
        bucket,
        `${prefix}/bias.json`,
        Buffer.from(JSON.stringify({ class_imbalance: 0.03 + i / 100 })),
        'application/json',
      );
      // The evaluation step's report, in the model quality metrics format
      // (https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html).
      const evaluation = {
        binary_classification_metrics: Object.fromEntries(
          Object.entries(metrics).map(([k, value]) => [
            k,
            { value, standard_deviation: 'NaN' },
          ]),
        ),
      };
      putObject(
        core,
        model.account,
        bucket,
        `${prefix}/evaluation.json`,
        Buffer.from(JSON.stringify(evaluation)),
        'application/json',
      );
      const spec = {
        InferenceSpecification: {
          Containers: [
            {
              Image:
                '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
              ModelDataUrl: `s3://${bucket}/${prefix}/model.tar.gz`,
            },
          ],
          SupportedContentTypes: ['text/csv'],
          SupportedResponseMIMETypes: ['text/csv'],
        },
        ModelMetrics: {
          ModelQuality: {
            Statistics: {
              ContentType: 'application/json',
              S3Uri: `s3://${bucket}/${prefix}/evaluation.json`,
            },
          },
          Bias: {
            Report: {
              ContentType: 'application/json',
              S3Uri: `s3://${bucket}/${prefix}/bias.json`,
            },
          },
        },
      };
      const trainingData =
        model.trainingData ?? `s3://${bucket}/datasets/${model.name}/`;
      const projectId = model.project
        ? dev.account.projects[model.project].ProjectId
        : undefined;
      const { ModelPackageArn: devArn } =
        sagemakerOperations.CreateModelPackage(
          {
            ModelPackageGroupName: model.name,
            ModelApprovalStatus: v.dev,
            ModelPackageDescription: `${model.name} v${i + 1}`,
            CustomerMetadataProperties: {
              accuracy: String(metrics.accuracy),
              auc: String(metrics.auc),
              'training-data': trainingData,
            },
            // Seeded as if the project's pipeline had registered it.
            ...(projectId
              ? {
                  MetadataProperties: {
                    ProjectId: projectId,
                    GeneratedBy: core.arn(
                      'sagemaker',
                      model.account,
                      `pipeline/${model.project}/execution/seeded${i + 1}`,
                    ),
                  },
                }
              : {}),
            ...spec,
          },
          dev,
        );
      if (v.reason)
        sagemakerOperations.UpdateModelPackage(
          { ModelPackageArn: devArn, ApprovalDescription: v.reason },
          dev,
        );
      if (!v.central || !central) return;
      const { ModelPackageArn: centralArn } =
        sagemakerOperations.CreateModelPackage(
          {
            ModelPackageGroupName: model.name,
            ModelApprovalStatus: v.central,
            ModelPackageDescription: `${model.name} v${i + 1}`,
            CustomerMetadataProperties: {
              accuracy: String(metrics.accuracy),
              auc: String(metrics.auc),
              'training-data': trainingData,
              'source-model-package-arn': devArn,
            },
            ClientToken: devArn.split('/').slice(-2).join('-'),
            ...spec,
          },
          central,
        );
      const cards = central.account.modelCards[model.name];
      const content = modelCardContent(model.name, model.description, metrics);
      if (cards)
        sagemakerOperations.UpdateModelCard(
          { ModelCardName: model.name, Content: content },
          central,
        );
      else
        sagemakerOperations.CreateModelCard(
          {
            ModelCardName: model.name,
            Content: content,
            ModelCardStatus: 'Approved',
          },
          central,
        );
      for (const stage of v.deployed ?? []) {
        const target = scenario.accounts.find(a => a.stage === stage);
        if (target)
          putEndpoint(
            core,
            core.account(target.id),
            `${model.name}-${stage}`,
            central.account.modelPackages[centralArn],
          );
      }
    });
  }
}
