/**
 * What a resource policy is asked: who calls (a principal of an account, or
 * an AWS service acting for a resource, such as EventBridge delivering a
 * rule's event), the action, the resource and the request's condition keys.
 */
export interface PolicyRequest {
  principal: { arn: string; account: string } | { service: string };
  action: string;
  /** Left out: statements are not matched on their Resource. */
  resource?: string;
  /** Condition keys of the request (aws:SourceArn, aws:SourceAccount, ...). */
  context?: Record<string, string>;
}

/**
 * Evaluates a resource policy for a principal from another account: allowed
 * when an Allow statement names the account (id, root ARN, a principal ARN in
 * it, or "*") and the action (wildcards allowed), and no Deny statement does.
 */
export function policyAllows(
  policyText: string | undefined,
  callerArn: string,
  callerAccount: string,
  action: string,
): boolean {
  return resourcePolicyAllows(policyText, {
    principal: { arn: callerArn, account: callerAccount },
    action,
  });
}

/**
 * Evaluates a resource policy: an explicit Deny wins; otherwise an Allow must
 * name the principal, the action, the resource (when given) and hold its
 * conditions. A missing or unreadable policy allows nothing.
 */
export function resourcePolicyAllows(
  policyText: string | undefined,
  request: PolicyRequest,
): boolean {
  if (!policyText) return false;
  let policy: any;
  try {
    policy = JSON.parse(policyText);
  } catch {
    return false;
  }
  const statements: any[] = [].concat(policy.Statement ?? []);
  const matches = (s: any) =>
    principalMatches(s.Principal, request.principal) &&
    patternMatches(s.Action, request.action) &&
    (request.resource === undefined ||
      s.Resource === undefined ||
      patternMatches(s.Resource, request.resource)) &&
    conditionsHold(s, request.context ?? {});
  if (statements.some(s => s.Effect === 'Deny' && matches(s))) return false;
  return statements.some(s => s.Effect === 'Allow' && matches(s));
}

function principalMatches(
  principal: any,
  caller: PolicyRequest['principal'],
): boolean {
  if (principal === '*') return true;
  if ('service' in caller)
    return ([] as string[])
      .concat(principal?.Service ?? [])
      .includes(caller.service);
  const { arn, account } = caller;
  const entries: string[] = [].concat(principal?.AWS ?? []);
  return entries.some(
    p =>
      p === '*' ||
      p === account ||
      p === `arn:aws:iam::${account}:root` ||
      p === arn ||
      (p.startsWith(`arn:aws:iam::${account}:role/`) &&
        arn.includes(`:assumed-role/${p.split(':role/')[1]}/`)),
  );
}

function wildcard(pattern: string, flags: string) {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    flags,
  );
}

/** Whether one of a statement's patterns (`*` and `?` wildcards, case-insensitive) matches. */
function patternMatches(patterns: any, value: string): boolean {
  return ([] as string[])
    .concat(patterns ?? [])
    .some(p => wildcard(String(p), 'i').test(value));
}

/**
 * The condition operators the sandbox evaluates, as IAM defines them
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
 * string values are case-sensitive; ArnEquals and ArnLike both take `*` and `?`.
 */
const OPERATORS: Record<string, (value: string, pattern: string) => boolean> = {
  StringEquals: (value, pattern) => value === pattern,
  StringLike: (value, pattern) => wildcard(pattern, '').test(value),
  ArnEquals: (value, pattern) => wildcard(pattern, '').test(value),
  ArnLike: (value, pattern) => wildcard(pattern, '').test(value),
};

/**
 * A statement's Condition holds when every operator's every key matches one
 * of its values. A key the request does not carry fails the condition, as in
 * IAM (the sandbox has no ...IfExists). An operator it does not know is an
 * error, never ignored.
 */
function conditionsHold(
  statement: any,
  context: Record<string, string>,
): boolean {
  const keys = Object.fromEntries(
    Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]),
  );
  return Object.entries<Record<string, unknown>>(
    statement.Condition ?? {},
  ).every(([operator, block]) => {
    const test = OPERATORS[operator];
    if (!test) {
      throw new Error(
        `aws-sandbox: policy statement ${
          statement.Sid ?? JSON.stringify(statement)
        } uses the condition operator ${operator}, which the sandbox does not evaluate (it does ${Object.keys(
          OPERATORS,
        ).join(', ')})`,
      );
    }
    return Object.entries(block).every(([key, values]) => {
      const value = keys[key.toLowerCase()];
      return (
        value !== undefined &&
        ([] as unknown[]).concat(values).some(v => test(value, String(v)))
      );
    });
  });
}

/**
 * Evaluates the identity policies of a role session, as IAM does for the
 * actions the sandbox serves: an explicit Deny wins, otherwise some Allow must
 * name the action and the resource (a resource the sandbox cannot name is
 * `*`, matched only by `Resource: '*'`) and hold its conditions on the
 * request's keys. NotAction and NotResource are not supported: a statement
 * using them is an error, not silently ignored.
 */
export function identityPolicyAllows(
  documents: any[],
  action: string,
  resource: string,
  context: Record<string, string> = {},
): boolean {
  const statements: any[] = documents.flatMap(d =>
    [].concat(d.Statement ?? []),
  );
  const matches = (s: any) => {
    if (s.NotAction || s.NotResource) {
      throw new Error(
        `aws-sandbox: identity policy statement ${
          s.Sid ?? JSON.stringify(s)
        } uses NotAction or NotResource, which the sandbox does not evaluate`,
      );
    }
    const resources: string[] = [].concat(s.Resource ?? []);
    return (
      patternMatches(s.Action, action) &&
      (resource === '*'
        ? resources.includes('*')
        : patternMatches(resources, resource)) &&
      conditionsHold(s, context)
    );
  };
  if (statements.some(s => s.Effect === 'Deny' && matches(s))) return false;
  return statements.some(s => s.Effect === 'Allow' && matches(s));
}
