/**
 * Evaluates a resource policy for a principal from another account: allowed
 * when an Allow statement names the account (id, root ARN, a principal ARN in
 * it, or "*") and the action (wildcards allowed), and no Deny statement does.
 */
export function policyAllows(policyText: string | undefined, callerArn: string, callerAccount: string, action: string): boolean {
  if (!policyText) return false;
  let policy: any;
  try {
    policy = JSON.parse(policyText);
  } catch {
    return false;
  }
  const statements: any[] = [].concat(policy.Statement ?? []);
  const matches = (s: any) => principalMatches(s.Principal, callerArn, callerAccount) && patternMatches(s.Action, action);
  if (statements.some(s => s.Effect === 'Deny' && matches(s))) return false;
  return statements.some(s => s.Effect === 'Allow' && matches(s));
}

function principalMatches(principal: any, callerArn: string, callerAccount: string): boolean {
  if (principal === '*') return true;
  const entries: string[] = [].concat(principal?.AWS ?? []);
  return entries.some(
    p =>
      p === '*' ||
      p === callerAccount ||
      p === `arn:aws:iam::${callerAccount}:root` ||
      p === callerArn ||
      (p.startsWith(`arn:aws:iam::${callerAccount}:role/`) && callerArn.includes(`:assumed-role/${p.split(':role/')[1]}/`)),
  );
}

/** Whether one of a statement's patterns (`*` and `?` wildcards, case-insensitive) matches. */
function patternMatches(patterns: any, value: string): boolean {
  return ([] as string[]).concat(patterns ?? []).some(p => {
    const pattern = new RegExp(`^${String(p).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    return pattern.test(value);
  });
}

/**
 * Evaluates the identity policies of a role session, as IAM does for the
 * actions the sandbox serves: an explicit Deny wins, otherwise some Allow must
 * name the action and the resource (a resource the sandbox cannot name is
 * `*`, matched only by `Resource: '*'`). NotAction and conditions are not
 * supported: a statement using them is an error, not silently ignored.
 */
export function identityPolicyAllows(documents: any[], action: string, resource: string): boolean {
  const statements: any[] = documents.flatMap(d => [].concat(d.Statement ?? []));
  const matches = (s: any) => {
    if (s.NotAction || s.NotResource || s.Condition) {
      throw new Error(`aws-sandbox: identity policy statement ${s.Sid ?? JSON.stringify(s)} uses NotAction, NotResource or Condition, which the sandbox does not evaluate`);
    }
    const resources: string[] = [].concat(s.Resource ?? []);
    return patternMatches(s.Action, action) && (resource === '*' ? resources.includes('*') : patternMatches(resources, resource));
  };
  if (statements.some(s => s.Effect === 'Deny' && matches(s))) return false;
  return statements.some(s => s.Effect === 'Allow' && matches(s));
}
