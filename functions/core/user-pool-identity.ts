/**
 * A user-pool caller's identity, shaped as AppSync's ctx.identity, from the
 * claims of a verified token: AppSync's (locally: the server's own check) and
 * the REST proxy's (API Gateway's JWT authorizer). One builder, so both paths
 * share one access rule and one caller model.
 */

type Claims = Record<string, unknown>;

/**
 * HTTP APIs hand array claims to the Lambda flattened into one string,
 * "[admins project-1]"; a JSON array is accepted too.
 */
function groupsOf(claim: unknown): string[] | null {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string' || !claim.trim()) return null;
  // Group names may hold commas but never white space (Cognito's pattern is letters, marks, symbols, digits, punctuation).
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/\s+/)
    .filter(Boolean);
}

/** A claim that is a string, else null: a missing `sub` must stay missing (the access rule refuses it), never become "undefined". */
const text = (claim: unknown): string | null => (typeof claim === 'string' ? claim : null);

export function userPoolIdentity(claims: Claims, sourceIp: string) {
  return {
    sub: text(claims.sub),
    issuer: text(claims.iss),
    username: text(claims['cognito:username']) ?? text(claims.username) ?? text(claims.sub),
    claims,
    sourceIp: [sourceIp],
    defaultAuthStrategy: 'ALLOW',
    groups: groupsOf(claims['cognito:groups']),
  };
}
