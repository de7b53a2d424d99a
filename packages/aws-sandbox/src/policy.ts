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
  const matches = (s: any) => principalMatches(s.Principal, callerArn, callerAccount) && actionMatches(s.Action, action);
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

function actionMatches(actions: any, action: string): boolean {
  return ([] as string[]).concat(actions ?? []).some(a => {
    const pattern = new RegExp(`^${a.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
    return pattern.test(action);
  });
}
