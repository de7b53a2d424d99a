import { AwsError } from '../errors';
import { Json } from '../state';

/**
 * CodePipeline's documented rules for a pipeline declaration that its API
 * model cannot express, checked on CreatePipeline and UpdatePipeline.
 */

const invalidAction = (message: string) =>
  new AwsError('InvalidActionDeclarationException', message);
const invalidStructure = (message: string) =>
  new AwsError('InvalidStructureException', message);
const invalidStage = (message: string) =>
  new AwsError('InvalidStageDeclarationException', message);

interface ProviderRule {
  /** Valid numbers of input and output artifacts, inclusive. */
  inputs: [number, number];
  outputs: [number, number];
  /** Configuration keys every action of the provider must set. */
  required?: string[];
  /** Further required keys, depending on the configuration. */
  requiredWhen?: (configuration: Json) => string[];
}

const ANY: [number, number] = [0, 5];
/** For a provider the artifacts table does not list: not restricted beyond the API's own limit. */
const UNLISTED: [number, number] = [0, 10];

/**
 * The (category, provider) pairs of owner AWS that CodePipeline offers:
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-valid-providers.html,
 * with the artifact counts of
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-action-artifacts.html
 * (providers it does not list are not restricted) and the required
 * configuration of each provider's action reference
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference.html;
 * for the providers the suite does not use, the keys listed are required, not
 * necessarily all that are):
 * S3 source (action-reference-S3.html), CodeBuild (action-reference-CodeBuild.html),
 * CloudFormation (action-reference-CloudFormation.html: TemplatePath for
 * CREATE_UPDATE, REPLACE_ON_FAILURE and CHANGE_SET_REPLACE, RoleArn for those
 * and DELETE_ONLY, ChangeSetName for the change set modes), Manual approval
 * (action-reference-Manual.html).
 * Providers the sandbox does not run are accepted here and fail when run.
 */
const AWS_PROVIDERS: Record<string, Record<string, ProviderRule>> = {
  Source: {
    S3: {
      inputs: [0, 0],
      outputs: [1, 1],
      required: ['S3Bucket', 'S3ObjectKey'],
    },
    ECR: { inputs: [0, 0], outputs: [1, 1], required: ['RepositoryName'] },
    CodeCommit: {
      inputs: [0, 0],
      outputs: [1, 1],
      required: ['RepositoryName', 'BranchName'],
    },
    CodeStarSourceConnection: {
      inputs: [0, 0],
      outputs: [1, 1],
      required: ['ConnectionArn', 'FullRepositoryId'],
    },
  },
  Build: {
    CodeBuild: { inputs: [1, 5], outputs: ANY, required: ['ProjectName'] },
    ECRBuildAndPublish: {
      inputs: UNLISTED,
      outputs: UNLISTED,
      required: ['ECRRepositoryName'],
    },
  },
  Test: {
    CodeBuild: { inputs: [1, 5], outputs: ANY, required: ['ProjectName'] },
    DeviceFarm: {
      inputs: [1, 1],
      outputs: [0, 0],
      required: ['ProjectId', 'DevicePoolArn', 'AppType', 'TestType'],
    },
  },
  Deploy: {
    S3: {
      inputs: [1, 1],
      outputs: [0, 0],
      required: ['BucketName', 'Extract'],
    },
    CloudFormation: {
      inputs: [0, 10],
      outputs: [0, 1],
      required: ['ActionMode', 'StackName'],
      requiredWhen: c => [
        ...([
          'CREATE_UPDATE',
          'REPLACE_ON_FAILURE',
          'CHANGE_SET_REPLACE',
        ].includes(c.ActionMode)
          ? ['TemplatePath']
          : []),
        ...([
          'CREATE_UPDATE',
          'REPLACE_ON_FAILURE',
          'DELETE_ONLY',
          'CHANGE_SET_REPLACE',
        ].includes(c.ActionMode)
          ? ['RoleArn']
          : []),
        ...(['CHANGE_SET_REPLACE', 'CHANGE_SET_EXECUTE'].includes(c.ActionMode)
          ? ['ChangeSetName']
          : []),
      ],
    },
    CloudFormationStackSet: {
      inputs: UNLISTED,
      outputs: UNLISTED,
      required: ['StackSetName', 'TemplatePath', 'DeploymentTargets'],
    },
    CloudFormationStackInstances: {
      inputs: UNLISTED,
      outputs: UNLISTED,
      required: ['StackSetName', 'DeploymentTargets', 'Regions'],
    },
    CodeDeploy: {
      inputs: [1, 1],
      outputs: [0, 0],
      required: ['ApplicationName', 'DeploymentGroupName'],
    },
    CodeDeployToECS: {
      inputs: UNLISTED,
      outputs: UNLISTED,
      required: ['ApplicationName', 'DeploymentGroupName'],
    },
    ECS: {
      inputs: [1, 1],
      outputs: [0, 0],
      required: ['ClusterName', 'ServiceName'],
    },
    ElasticBeanstalk: {
      inputs: [1, 1],
      outputs: [0, 0],
      required: ['ApplicationName', 'EnvironmentName'],
    },
    OpsWorks: { inputs: [1, 1], outputs: [0, 0], required: ['Stack'] },
    ServiceCatalog: {
      inputs: [1, 1],
      outputs: [0, 0],
      required: ['ProductId'],
    },
    AppConfig: {
      inputs: UNLISTED,
      outputs: UNLISTED,
      required: ['Application', 'Environment', 'ConfigurationProfile'],
    },
    EKS: { inputs: UNLISTED, outputs: UNLISTED, required: ['ClusterName'] },
    EC2: {
      inputs: UNLISTED,
      outputs: UNLISTED,
      required: ['InstanceTagKey', 'InstanceType'],
    },
    Lambda: { inputs: UNLISTED, outputs: UNLISTED, required: ['FunctionName'] },
  },
  Approval: {
    Manual: { inputs: [0, 0], outputs: [0, 0] },
  },
  Invoke: {
    Lambda: { inputs: ANY, outputs: ANY, required: ['FunctionName'] },
    StepFunctions: {
      inputs: UNLISTED,
      outputs: UNLISTED,
      required: ['StateMachineArn'],
    },
    InspectorScan: {
      inputs: UNLISTED,
      outputs: UNLISTED,
      required: ['InspectorRunMode'],
    },
  },
  Compute: {
    Commands: { inputs: UNLISTED, outputs: UNLISTED },
  },
};

/** The rule of an action's (category, owner AWS, provider), or the error AWS gives for one it does not offer. */
export function providerRule(action: Json): ProviderRule {
  const { category, owner, provider, version } = action.actionTypeId ?? {};
  const rule =
    owner === 'AWS' && version === '1'
      ? AWS_PROVIDERS[category]?.[provider]
      : undefined;
  if (!rule) {
    throw invalidAction(
      `ActionType (Category: '${category}', Provider: '${provider}', Owner: '${owner}', Version: '${version}') in action '${action.name}' is not available in region 'US_EAST_1'`,
    );
  }
  return rule;
}

function checkCount(
  action: Json,
  kind: 'input' | 'output',
  [min, max]: [number, number],
) {
  const count = (action[`${kind}Artifacts`] ?? []).length;
  if (count < min)
    throw invalidAction(
      `Action ${action.name} declares ${count} ${kind} artifacts which is less than the minimum count (${min})`,
    );
  if (count > max)
    throw invalidAction(
      `Action ${action.name} declares ${count} ${kind} artifacts which is more than the maximum count (${max})`,
    );
}

function checkConfiguration(action: Json, rule: ProviderRule) {
  const configuration = action.configuration ?? {};
  const required = [
    ...(rule.required ?? []),
    ...(rule.requiredWhen?.(configuration) ?? []),
  ];
  const missing = required.find(
    key => configuration[key] === undefined || configuration[key] === '',
  );
  if (missing)
    throw invalidAction(
      `Action configuration for action '${action.name}' is missing required configuration '${missing}'`,
    );
}

/**
 * An action whose roleArn names another account runs there, so CodePipeline
 * must share the artifacts with it: that needs a customer managed KMS key on
 * the artifact store, which the other account can be granted (the AWS managed
 * key cannot be shared):
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-create-cross-account.html
 */
function checkCrossAccount(
  pipeline: Json,
  action: Json,
  pipelineAccount: string,
) {
  const roleAccount = /^arn:aws[a-z-]*:iam::(\d{12}):role\//.exec(
    action.roleArn ?? '',
  )?.[1];
  if (!roleAccount || roleAccount === pipelineAccount) return;
  const key = pipeline.artifactStore?.encryptionKey;
  if (
    key?.type !== 'KMS' ||
    !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/.test(
      key?.id ?? '',
    ) ||
    /:alias\/aws\//.test(key.id)
  ) {
    throw invalidStructure(
      `Action '${action.name}' uses a role of account ${roleAccount}: a cross-account action needs the artifact store to be encrypted with a customer managed AWS KMS key (encryptionKey { id: <key ARN>, type: KMS }) that account can use`,
    );
  }
}

/** A stage's unique name, its actions, and source actions in the first stage only. */
function checkStage(stage: Json, index: number, stageNames: Set<string>) {
  if (stageNames.has(stage.name))
    throw invalidStage(
      `Stage name '${stage.name}' is used more than once in the pipeline. Stage names must be unique.`,
    );
  stageNames.add(stage.name);
  const actions: Json[] = stage.actions ?? [];
  if (actions.length === 0)
    throw invalidStage(
      `Stage '${stage.name}' must contain at least one action.`,
    );
  const sources = actions.filter(a => a.actionTypeId?.category === 'Source');
  if (index === 0 && sources.length !== actions.length) {
    throw invalidStructure(
      `Stage '${
        stage.name
      }' is the first stage of the pipeline: it may contain only source actions, and '${
        actions.find(a => !sources.includes(a))!.name
      }' is not one.`,
    );
  }
  if (index > 0 && sources.length) {
    throw invalidStructure(
      `Action '${sources[0].name}' in stage '${stage.name}' is a source action: source actions may only be in the first stage.`,
    );
  }
}

/**
 * An action reads only artifacts made before it: in an earlier stage
 * (`produced`) or by a lower runOrder of its own stage, since actions with
 * the same runOrder run in parallel. Its outputs' names are new.
 */
function checkArtifacts(
  action: Json,
  produced: Set<string>,
  outputsOfStage: Array<[number, string]>,
) {
  const runOrder = action.runOrder ?? 1;
  for (const input of action.inputArtifacts ?? []) {
    const earlier =
      produced.has(input.name) ||
      outputsOfStage.some(
        ([order, name]) => order < runOrder && name === input.name,
      );
    if (!earlier) {
      throw invalidStructure(
        `Input artifact '${input.name}' of action '${action.name}' is not the output artifact of any action that runs before it.`,
      );
    }
  }
  for (const output of action.outputArtifacts ?? []) {
    if (
      produced.has(output.name) ||
      outputsOfStage.some(([, name]) => name === output.name)
    ) {
      throw invalidStructure(
        `Output artifact name '${output.name}' of action '${action.name}' is already used. Output artifact names must be unique in the pipeline.`,
      );
    }
    outputsOfStage.push([runOrder, output.name]);
  }
}

/** Each action of a stage, in runOrder: a unique name, its provider's rules, its roles and its artifacts. */
function checkStageActions(
  pipeline: Json,
  stage: Json,
  pipelineAccount: string,
  seen: { actionNames: Set<string>; produced: Set<string> },
) {
  const byRunOrder = [...(stage.actions as Json[])].sort(
    (a, b) => (a.runOrder ?? 1) - (b.runOrder ?? 1),
  );
  const outputsOfStage: Array<[number, string]> = [];
  for (const action of byRunOrder) {
    if (seen.actionNames.has(action.name))
      throw invalidAction(
        `Action name '${action.name}' is used more than once in the pipeline. Action names must be unique.`,
      );
    seen.actionNames.add(action.name);
    const rule = providerRule(action);
    checkCount(action, 'input', rule.inputs);
    checkCount(action, 'output', rule.outputs);
    checkConfiguration(action, rule);
    checkCrossAccount(pipeline, action, pipelineAccount);
    checkArtifacts(action, seen.produced, outputsOfStage);
  }
  for (const [, name] of outputsOfStage) seen.produced.add(name);
}

/**
 * Checks a pipeline declaration as CodePipeline does: unique stage and action
 * names, source actions in the first stage and only there, every action type
 * offered, its configuration and artifact counts, input artifacts produced by
 * an earlier action, output artifact names unique, and cross-account actions.
 */
export function checkPipelineDeclaration(
  pipeline: Json,
  pipelineAccount: string,
) {
  const stages: Json[] = pipeline.stages ?? [];
  if (stages.length < 2)
    throw invalidStructure(
      'Pipeline has fewer than 2 stages. A pipeline must contain at least two stages.',
    );
  const stageNames = new Set<string>();
  const seen = { actionNames: new Set<string>(), produced: new Set<string>() };
  stages.forEach((stage, index) => {
    checkStage(stage, index, stageNames);
    checkStageActions(pipeline, stage, pipelineAccount, seen);
  });
}
