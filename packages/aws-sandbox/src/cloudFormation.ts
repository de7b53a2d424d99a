import fs from 'node:fs';
import YAML from 'yaml';
import type { SandboxCore } from './core';
import type { Caller } from './identity';
import { eventsResourceTypes } from './services/events';
import { sagemakerResourceTypes } from './services/sagemaker/cloudFormationTypes';
import { s3ResourceTypes } from './services/s3';
import { sqsResourceTypes } from './services/sqs';
import { Json } from './state';

/** The resource being created, for a resource type's `apply`. */
export interface StackResource {
  core: SandboxCore;
  accountId: string;
  stackName: string;
  logicalId: string;
  /** The principal CloudFormation acts as (the stack's service role session); absent: the account's root. */
  caller?: Caller;
  /** Fails naming the template, the logical id and the type. */
  fail(message: string): never;
}

/** What `Ref` and `Fn::GetAtt` give for a created resource. */
export interface AppliedResource {
  ref: string;
  attributes?: Record<string, string>;
}

/**
 * A CloudFormation resource type the sandbox creates. `properties` lists every
 * property the CloudFormation template reference (`reference`) defines for the
 * type, `true` for the required ones; a property not listed is refused, as
 * CloudFormation refuses it. `unsupported` lists the defined ones the sandbox
 * does not simulate: using one is an error rather than silently ignored.
 * `apply` creates the resource in the stack's account (through the sandbox's
 * own operations, as CloudFormation calls the service APIs).
 */
export interface ResourceType {
  reference: string;
  properties: Record<string, boolean>;
  unsupported?: string[];
  apply(properties: Json, resource: StackResource): AppliedResource;
}

export type ResourceTypeTable = Record<string, ResourceType>;

// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-role.html
const iamRole: ResourceType = {
  reference:
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-role.html',
  properties: {
    AssumeRolePolicyDocument: true,
    Description: false,
    ManagedPolicyArns: false,
    MaxSessionDuration: false,
    Path: false,
    PermissionsBoundary: false,
    Policies: false,
    RoleName: false,
    Tags: false,
  },
  // Their policies live outside the template: the sandbox could not evaluate what the role may do.
  unsupported: ['ManagedPolicyArns', 'PermissionsBoundary'],
  apply(properties, { core, accountId, stackName, logicalId }) {
    const name =
      properties.RoleName ??
      `${stackName}-${logicalId}-${core.randomId(12).toUpperCase()}`;
    const trust = []
      .concat(properties.AssumeRolePolicyDocument?.Statement ?? [])
      // Service principals (events.amazonaws.com, codebuild.amazonaws.com, ...) are kept as they are: services assume roles too.
      .flatMap((s: any) =>
        [].concat(s?.Principal?.AWS ?? [], s?.Principal?.Service ?? []),
      )
      .map((p: string) => /^arn:aws:iam::(\d{12}):root$/.exec(p)?.[1] ?? p);
    const role = {
      accountId,
      name,
      trust,
      policies: (properties.Policies ?? []).map((p: any) => p.PolicyDocument),
    };
    core.state.roles = core.state.roles
      .filter(r => !(r.accountId === accountId && r.name === name))
      .concat(role);
    return {
      ref: name,
      attributes: {
        Arn: `arn:aws:iam::${accountId}:role${properties.Path ?? '/'}${name}`,
        RoleId: `AROA${core.randomId(16).toUpperCase()}`,
      },
    };
  },
};

// Creates nothing: a template whose stack only records parameters and outputs needs one resource.
const waitConditionHandle: ResourceType = {
  reference:
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-waitconditionhandle.html',
  properties: {},
  apply: (_properties, { core, accountId, stackName, logicalId }) => ({
    ref: `https://cloudformation-waitcondition-${core.region}.s3.amazonaws.com/arn%3Aaws%3Acloudformation%3A${core.region}%3A${accountId}%3Astack/${stackName}/${logicalId}`,
  }),
};

/** Every resource type the sandbox creates from a template. */
const RESOURCE_TYPES: ResourceTypeTable = {
  'AWS::IAM::Role': iamRole,
  'AWS::CloudFormation::WaitConditionHandle': waitConditionHandle,
  ...eventsResourceTypes,
  ...s3ResourceTypes,
  ...sqsResourceTypes,
  ...sagemakerResourceTypes,
};

const SECTIONS = [
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Resources',
  'Outputs',
];

export interface Stack {
  /** Names the template in errors: its file, or the pipeline artifact it came from. */
  source: string;
  template: Json;
  accountId: string;
  stackName: string;
  parameters?: Record<string, string>;
  /** The stack's service role session, whose policies CloudFormation's calls need; absent: the account's root. */
  caller?: Caller;
}

export interface AppliedStack {
  resources: Record<string, AppliedResource>;
  outputs: Record<string, string>;
}

/**
 * Fn::Sub's substitution: each `${Name}` in `text` becomes `value(Name)`, and
 * `${!Literal}` stays as `${Literal}`
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-sub.html).
 */
export function fnSub(text: string, value: (name: string) => string): string {
  return text.replace(/\$\{(!?)([\w:.]+)\}/g, (_m, literal, name) =>
    literal ? `\${${name}}` : value(name),
  );
}

export function readTemplate(file: string): Json {
  try {
    return YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (e: any) {
    throw new Error(
      `aws-sandbox: CloudFormation template ${file}: ${e.message}`,
    );
  }
}

/**
 * Creates a stack's resources in an account, as CloudFormation (or a
 * StackSet's instance) would: parameters (given, else their defaults;
 * String, Number and CommaDelimitedList, with AllowedValues and
 * AllowedPattern), `Ref`, `Fn::Sub`, `Fn::GetAtt`, `DependsOn` and the pseudo
 * parameters are resolved; each resource's properties are checked against its
 * type. Anything else the template uses is an error naming the template, so
 * the sandbox never runs something other than what would be deployed.
 */
export function applyStack(core: SandboxCore, stack: Stack): AppliedStack {
  const fail = (message: string): never => {
    throw new Error(
      `aws-sandbox: CloudFormation template ${stack.source}: ${message}`,
    );
  };
  const { template } = stack;
  if (!template || typeof template !== 'object') fail('is not a template');
  const unknownSections = Object.keys(template).filter(
    k => !SECTIONS.includes(k),
  );
  if (unknownSections.length)
    fail(
      `uses ${unknownSections.join(', ')}, which the sandbox does not resolve`,
    );
  const declared: Record<string, any> = template.Parameters ?? {};
  const given = stack.parameters ?? {};
  const unknownGiven = Object.keys(given).filter(k => !(k in declared));
  if (unknownGiven.length) fail(`has no parameter ${unknownGiven.join(', ')}`);

  const values: Record<string, string | string[]> = {
    'AWS::AccountId': stack.accountId,
    'AWS::Region': core.region,
    'AWS::Partition': 'aws',
    'AWS::StackName': stack.stackName,
    'AWS::URLSuffix': 'amazonaws.com',
  };
  for (const [name, p] of Object.entries<any>(declared)) {
    const raw = given[name] ?? p?.Default;
    if (raw === undefined) fail(`parameter ${name} needs a value`);
    const value = String(raw);
    if (p.AllowedValues && !p.AllowedValues.map(String).includes(value))
      fail(
        `parameter ${name}: ${value} is not one of ${p.AllowedValues.join(
          ', ',
        )}`,
      );
    if (
      p.AllowedPattern &&
      !new RegExp(`^(?:${p.AllowedPattern})$`).test(value)
    )
      fail(`parameter ${name}: ${value} does not match ${p.AllowedPattern}`);
    if (p.Type === 'String') values[name] = value;
    else if (
      p.Type === 'Number' &&
      value.trim() !== '' &&
      !Number.isNaN(Number(value))
    )
      values[name] = value;
    else if (p.Type === 'CommaDelimitedList')
      values[name] = value.split(',').map(v => v.trim());
    else
      fail(
        p.Type === 'Number'
          ? `parameter ${name}: ${value} is not a number`
          : `parameter ${name} has type ${p.Type}, which the sandbox does not resolve (String, Number, CommaDelimitedList)`,
      );
  }

  const declaredResources: Record<string, any> = template.Resources ?? {};
  if (Object.keys(declaredResources).length === 0) fail('has no Resources');
  const applied: Record<string, AppliedResource> = {};
  const applying = new Set<string>();

  const getAtt = (id: string, attribute: string) => {
    const value = create(id).attributes?.[attribute];
    return (
      value ??
      fail(
        `Fn::GetAtt ${id}.${attribute}: ${declaredResources[id].Type} has no attribute ${attribute} in the sandbox`,
      )
    );
  };
  const lookup = (name: string): string | string[] => {
    if (name in values) return values[name];
    if (name in declaredResources) return create(name).ref;
    return fail(
      `refers to ${name}, which is neither a parameter, a resource nor a pseudo parameter`,
    );
  };
  const resolve = (node: any): any => {
    if (Array.isArray(node)) return node.map(resolve);
    if (node === null || typeof node !== 'object') return node;
    if ('Ref' in node) return lookup(node.Ref);
    if ('Fn::GetAtt' in node) {
      const target = node['Fn::GetAtt'];
      const [id, attribute] = Array.isArray(target)
        ? target
        : String(target).split(/\.(.*)/);
      if (!(id in declaredResources))
        fail(`Fn::GetAtt names ${id}, which is not a resource of the template`);
      return getAtt(id, attribute);
    }
    if ('Fn::Sub' in node) {
      const [text, vars = {}] = Array.isArray(node['Fn::Sub'])
        ? node['Fn::Sub']
        : [node['Fn::Sub']];
      return fnSub(String(text), name => {
        if (name in vars) return String(resolve(vars[name]));
        const [id, attribute] = name.split(/\.(.*)/);
        const value =
          attribute && id in declaredResources
            ? getAtt(id, attribute)
            : lookup(name);
        return Array.isArray(value)
          ? fail(`Fn::Sub uses the list ${name}`)
          : value;
      });
    }
    const intrinsic = Object.keys(node).find(k => k.startsWith('Fn::'));
    if (intrinsic)
      fail(`uses ${intrinsic}, which the sandbox does not resolve`);
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [k, resolve(v)]),
    );
  };

  function create(id: string): AppliedResource {
    if (applied[id]) return applied[id];
    if (applying.has(id))
      fail(
        `resource ${id} depends on itself through ${[...applying].join(
          ' -> ',
        )}`,
      );
    applying.add(id);
    const declaration = declaredResources[id];
    const type = RESOURCE_TYPES[declaration?.Type];
    const where = `resource ${id} (${declaration?.Type})`;
    const failHere = (message: string): never => fail(`${where}: ${message}`);
    if (!type)
      failHere(
        `the sandbox does not create ${
          declaration?.Type
        } (it does ${Object.keys(RESOURCE_TYPES).join(', ')})`,
      );
    for (const dependency of [].concat(declaration.DependsOn ?? [])) {
      if (!(dependency in declaredResources))
        failHere(
          `DependsOn names ${dependency}, which is not a resource of the template`,
        );
      create(dependency);
    }
    const properties = resolve(declaration.Properties ?? {});
    const unknown = Object.keys(properties).filter(
      p => !(p in type.properties),
    );
    if (unknown.length)
      failHere(
        `unknown property ${unknown.join(', ')} (see ${type.reference})`,
      );
    const missing = Object.keys(type.properties).filter(
      p => type.properties[p] && properties[p] === undefined,
    );
    if (missing.length)
      failHere(
        `required property ${missing.join(', ')} is missing (see ${
          type.reference
        })`,
      );
    const unsupported = (type.unsupported ?? []).filter(p => p in properties);
    if (unsupported.length)
      failHere(
        `uses ${unsupported.join(', ')}, which the sandbox does not simulate`,
      );
    try {
      applied[id] = type.apply(properties, {
        core,
        accountId: stack.accountId,
        stackName: stack.stackName,
        logicalId: id,
        caller: stack.caller,
        fail: failHere,
      });
    } catch (e: any) {
      if (e.message?.startsWith('aws-sandbox: CloudFormation template'))
        throw e;
      failHere(e.message);
    }
    applying.delete(id);
    return applied[id];
  }

  for (const id of Object.keys(declaredResources)) create(id);
  const outputs = Object.fromEntries(
    Object.entries<any>(template.Outputs ?? {}).map(([name, o]) => [
      name,
      String(resolve(o?.Value)),
    ]),
  );
  core.changed();
  return { resources: applied, outputs };
}
