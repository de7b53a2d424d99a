import crypto from 'node:crypto';
import JSZip from 'jszip';
import YAML from 'yaml';
import { requireIdentityAllows } from '../authorization';
import { requirePassRoleTo } from '../passRole';
import { applyStack } from '../cloudFormation';
import { SandboxCore } from '../core';
import { Caller } from '../identity';
import { getObjectAs, ObjectLocation } from '../objectsAs';
import { assumeRoleFor } from '../roleSessions';
import { Json, nowSeconds } from '../state';

const INTRINSICS = [
  'Ref',
  'Condition',
  'Sub',
  'GetAtt',
  'Join',
  'Select',
  'Split',
  'If',
  'Equals',
  'And',
  'Or',
  'Not',
  'FindInMap',
  'Base64',
  'Cidr',
  'GetAZs',
  'ImportValue',
];
const longName = (short: string) =>
  short === 'Ref' || short === 'Condition' ? short : `Fn::${short}`;

/**
 * CloudFormation's YAML short forms (`!Ref X`, `!GetAtt A.B`, `!Sub [...]`)
 * as their long forms:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */
const SHORT_FORMS = INTRINSICS.flatMap(short => [
  {
    tag: `!${short}`,
    resolve: (text: string) => ({
      [longName(short)]:
        short === 'GetAtt' ? text.split(/\.(.*)/).slice(0, 2) : text,
    }),
  },
  {
    tag: `!${short}`,
    collection: 'seq' as const,
    resolve: (seq: any) => ({ [longName(short)]: seq.toJSON() }),
  },
  {
    tag: `!${short}`,
    collection: 'map' as const,
    resolve: (map: any) => ({ [longName(short)]: map.toJSON() }),
  },
]);

/** An `ArtifactName::path/in/zip` of a CloudFormation action's configuration, read from the input artifacts. */
async function artifactFile(
  reference: string,
  key: string,
  inputs: Record<string, Buffer>,
): Promise<string> {
  const [artifact, file] = reference.split('::');
  if (!file)
    throw new Error(
      `${key} ${reference} must be of the form ArtifactName::FileName`,
    );
  const zip = inputs[artifact];
  if (!zip)
    throw new Error(
      `${key} ${reference} names artifact ${artifact}, which is not an input artifact of the action`,
    );
  const entry = (await JSZip.loadAsync(zip)).file(file);
  if (!entry)
    throw new Error(`File ${file} does not exist in artifact [${artifact}]`);
  return entry.async('string');
}

/**
 * Parameters of a template configuration file, overridden by the action's
 * ParameterOverrides:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/continuous-delivery-codepipeline-cfn-artifacts.html
 */
function parametersOf(
  configurationText: string | undefined,
  overrides: string | undefined,
): Record<string, string> {
  let configuration: Json = {};
  if (configurationText !== undefined) {
    try {
      configuration = JSON.parse(configurationText);
    } catch (e: any) {
      throw new Error(`TemplateConfiguration is not valid JSON: ${e.message}`);
    }
    const unknown = Object.keys(configuration).filter(
      k => !['Parameters', 'Tags', 'StackPolicy'].includes(k),
    );
    if (unknown.length)
      throw new Error(
        `TemplateConfiguration has unknown key ${unknown.join(
          ', ',
        )} (Parameters, Tags, StackPolicy)`,
      );
  }
  let overridden: Json = {};
  if (overrides !== undefined) {
    try {
      overridden = JSON.parse(overrides);
    } catch (e: any) {
      throw new Error(`ParameterOverrides is not valid JSON: ${e.message}`);
    }
  }
  return Object.fromEntries(
    Object.entries({ ...configuration.Parameters, ...overridden }).map(
      ([k, v]) => [k, String(v)],
    ),
  );
}

/** The template and its configuration file, read from the input artifacts as the action's role. */
async function readTemplate(
  core: SandboxCore,
  actionCaller: Caller,
  configuration: Json,
  inputs: Record<string, ObjectLocation>,
) {
  const zips = Object.fromEntries(
    Object.entries(inputs).map(([name, at]) => [
      name,
      getObjectAs(core, actionCaller, at.bucket, at.key),
    ]),
  );
  const text = await artifactFile(
    configuration.TemplatePath,
    'TemplatePath',
    zips,
  );
  const configurationText = configuration.TemplateConfiguration
    ? await artifactFile(
        configuration.TemplateConfiguration,
        'TemplateConfiguration',
        zips,
      )
    : undefined;
  let template: Json;
  try {
    template = YAML.parse(text, { customTags: SHORT_FORMS });
  } catch (e: any) {
    throw new Error(`Template format error: ${e.message}`);
  }
  return { template, configurationText };
}

/** The action's role may describe and create or update the stack, and pass the stack's role to CloudFormation. */
function requireDeployAllowed(
  actionCaller: Caller,
  stackRoleArn: string,
  stackId: string,
  exists: boolean,
) {
  requireIdentityAllows(actionCaller, 'cloudformation:DescribeStacks', stackId);
  requireIdentityAllows(
    actionCaller,
    exists ? 'cloudformation:UpdateStack' : 'cloudformation:CreateStack',
    stackId,
  );
  requirePassRoleTo(actionCaller, stackRoleArn, 'cloudformation.amazonaws.com');
}

/** The stack applied with CloudFormation's role; a failure names the stack and the resource, as the action's summary does. */
function applyAs(
  core: SandboxCore,
  caller: Caller,
  stack: {
    configuration: Json;
    template: Json;
    accountId: string;
    parameters: Record<string, string>;
  },
): Record<string, string> {
  const { configuration, template, accountId, parameters } = stack;
  const source = `${configuration.TemplatePath} (stack ${configuration.StackName})`;
  try {
    return applyStack(core, {
      source,
      template,
      accountId,
      stackName: configuration.StackName,
      parameters,
      caller,
    }).outputs;
  } catch (e: any) {
    throw new Error(
      `Stack ${configuration.StackName}: ${String(e.message).replace(
        `aws-sandbox: CloudFormation template ${source}: `,
        '',
      )}`,
    );
  }
}

/** The stack as DescribeStacks shows it after the deploy. */
function stackRecord(
  configuration: Json,
  stack: { stackId: string; existing?: Json },
  parameters: Record<string, string>,
  outputs: Record<string, string>,
): Json {
  const { stackId, existing } = stack;
  return {
    StackName: configuration.StackName,
    StackId: stackId,
    StackStatus: existing ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE',
    CreationTime: existing?.CreationTime ?? nowSeconds(),
    LastUpdatedTime: nowSeconds(),
    RoleARN: configuration.RoleArn,
    Parameters: Object.entries(parameters).map(
      ([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }),
    ),
    Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({
      OutputKey,
      OutputValue,
    })),
  };
}

/**
 * The CloudFormation deploy action in mode CREATE_UPDATE, as CodePipeline
 * runs it: the action's role (`actionCaller`, in the target account) reads the
 * template and its configuration from the input artifacts, and passes the
 * configuration's RoleArn to CloudFormation, which must trust
 * cloudformation.amazonaws.com; the stack is created or updated with that
 * role's permissions:
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html
 */
export async function deployStack(
  core: SandboxCore,
  actionCaller: Caller,
  configuration: Json,
  inputs: Record<string, ObjectLocation>,
) {
  if (configuration.ActionMode !== 'CREATE_UPDATE') {
    throw new Error(
      `ActionMode ${configuration.ActionMode} is not simulated by the sandbox (CREATE_UPDATE is)`,
    );
  }
  const { template, configurationText } = await readTemplate(
    core,
    actionCaller,
    configuration,
    inputs,
  );
  const accountId = actionCaller.accountId;
  const stacks = core.account(accountId).stacks;
  const existing = stacks[configuration.StackName];
  const stackId =
    existing?.StackId ??
    core.arn(
      'cloudformation',
      accountId,
      `stack/${configuration.StackName}/${crypto.randomUUID()}`,
    );
  requireDeployAllowed(
    actionCaller,
    configuration.RoleArn,
    stackId,
    !!existing,
  );
  const cloudFormation = assumeRoleFor(
    core,
    configuration.RoleArn,
    'cloudformation.amazonaws.com',
    `AWSCloudFormation-${configuration.StackName}`,
  );
  const parameters = parametersOf(
    configurationText,
    configuration.ParameterOverrides,
  );
  const outputs = applyAs(core, cloudFormation.caller, {
    configuration,
    template,
    accountId,
    parameters,
  });
  stacks[configuration.StackName] = stackRecord(
    configuration,
    { stackId, existing },
    parameters,
    outputs,
  );
  core.changed();
}
