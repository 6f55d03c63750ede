/**
 * The caller of POST /upload, from the claims API Gateway's JWT authorizer
 * verified (locally: the local server, the same way), shaped like AppSync's
 * user-pool identity so both paths share one access rule and one caller model.
 */

type Claims = Record<string, string | number | boolean | string[]>;

/**
 * HTTP APIs hand array claims to the Lambda flattened into one string,
 * "[admins project-1]"; a JSON array is accepted too.
 */
function groupsOf(claim: Claims[string] | undefined): string[] | null {
  if (Array.isArray(claim)) return claim;
  if (typeof claim !== 'string' || !claim.trim()) return null;
  // Group names may hold commas but never white space (Cognito's pattern is letters, marks, symbols, digits, punctuation).
  return claim.replace(/^\[|\]$/g, '').split(/\s+/).filter(Boolean);
}

export function identityFromClaims(claims: Claims, sourceIp: string) {
  return {
    sub: String(claims.sub),
    issuer: String(claims.iss),
    username: String(claims['cognito:username'] ?? claims.username ?? claims.sub),
    claims,
    sourceIp: [sourceIp],
    defaultAuthStrategy: 'ALLOW',
    groups: groupsOf(claims['cognito:groups']),
  };
}
