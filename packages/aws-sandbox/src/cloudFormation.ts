import fs from 'node:fs';
import YAML from 'yaml';

/** A role as a CloudFormation template defines it, resolved for one account. */
export interface TemplateRole {
  name: string;
  /** Account ids its trust policy names. */
  trust: string[];
  policies: unknown[];
}

/**
 * Reads the `AWS::IAM::Role` resources of a CloudFormation template, as a
 * StackSet would create them in `accountId`: parameters (given, else their
 * defaults), `Ref`, `Fn::Sub` and the pseudo parameters AWS::AccountId,
 * AWS::Region and AWS::Partition are resolved. Anything else the template uses
 * is an error naming the file, so the sandbox never evaluates a policy other
 * than the one deployed.
 */
export function rolesFromCloudFormation(file: string, accountId: string, region: string, given: Record<string, string> = {}): TemplateRole[] {
  const fail = (message: string): never => {
    throw new Error(`aws-sandbox: CloudFormation template ${file}: ${message}`);
  };
  let template: any;
  try {
    template = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (e: any) {
    fail(e.message);
  }
  const values: Record<string, string> = { 'AWS::AccountId': accountId, 'AWS::Region': region, 'AWS::Partition': 'aws' };
  for (const [name, p] of Object.entries<any>(template?.Parameters ?? {})) {
    const value = given[name] ?? p?.Default;
    if (value === undefined) fail(`parameter ${name} needs a value`);
    values[name] = String(value);
  }
  const unknownGiven = Object.keys(given).filter(k => !(k in (template?.Parameters ?? {})));
  if (unknownGiven.length) fail(`has no parameter ${unknownGiven.join(', ')}`);
  const lookup = (name: string) => values[name] ?? fail(`refers to ${name}, which is neither a parameter nor a pseudo parameter`);
  const resolve = (node: any): any => {
    if (Array.isArray(node)) return node.map(resolve);
    if (node === null || typeof node !== 'object') return node;
    if ('Ref' in node) return lookup(node.Ref);
    if ('Fn::Sub' in node) {
      const [text, vars = {}] = Array.isArray(node['Fn::Sub']) ? node['Fn::Sub'] : [node['Fn::Sub']];
      return String(text).replace(/\$\{([\w:]+)\}/g, (_m, name) => (name in vars ? resolve(vars[name]) : lookup(name)));
    }
    const intrinsic = Object.keys(node).find(k => k.startsWith('Fn::'));
    if (intrinsic) fail(`uses ${intrinsic}, which the sandbox does not resolve`);
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v)]));
  };
  return Object.entries<any>(template?.Resources ?? {})
    .filter(([, r]) => r?.Type === 'AWS::IAM::Role')
    .map(([id, r]) => {
      const properties = resolve(r.Properties ?? {});
      if (!properties.RoleName) fail(`role ${id} has no RoleName`);
      const trust = [].concat(properties.AssumeRolePolicyDocument?.Statement ?? [])
        .flatMap((s: any) => [].concat(s?.Principal?.AWS ?? []))
        .map((p: string) => /^arn:aws:iam::(\d{12}):root$/.exec(p)?.[1] ?? p);
      return { name: properties.RoleName, trust, policies: (properties.Policies ?? []).map((p: any) => p.PolicyDocument) };
    });
}
