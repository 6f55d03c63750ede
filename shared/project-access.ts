/**
 * Who may act on a project: one rule for the APPSYNC_JS resolvers
 * (authorizeProject) and the Lambdas (the REST proxy, large uploads). It runs
 * in both, so it keeps to APPSYNC_JS's rules (the lint checks it with them).
 */

/** The group that may act on every project. */
export const ADMIN_GROUP = 'admins';

/** The group whose members may act on one project. */
export const projectGroup = (projectID: string): string => `project-${projectID}`;

/** Why a caller outside project `projectID` is refused, and what would let it in. */
export const notAuthorizedMessage = (projectID: string): string =>
  `Not authorized for project ${projectID}: the token's cognito:groups must include "${projectGroup(projectID)}" or "${ADMIN_GROUP}".`;

/** util.authType()'s answers for the modes this API has; anything else is refused. */
export const API_KEY_AUTH = 'API Key Authorization';
export const IAM_AUTH = 'IAM Authorization';
export const USER_POOL_AUTH = 'User Pool Authorization';

/**
 * The project-membership rule, decided by how the caller authenticated
 * (util.authType()), never by which identity fields happen to be empty:
 * API-key callers (development, local) and IAM callers (trusted services)
 * pass; a user-pool caller passes when its `cognito:groups` holds `admins`
 * or `project-{projectID}`; any other mode — one added later included — fails.
 */
export function mayAccessProject(authType: string, identity: unknown, projectID: string): boolean {
  if (authType === API_KEY_AUTH || authType === IAM_AUTH) {
    return true;
  }
  if (authType !== USER_POOL_AUTH) {
    return false;
  }
  const fields = (identity ?? {}) as Record<string, unknown>;
  const groups = fields.groups as string[] | null | undefined;
  if (!fields.sub || !groups) {
    return false;
  }
  return groups.includes(ADMIN_GROUP) || groups.includes(projectGroup(projectID));
}

/** Whether a user-pool caller is in the admins group (who may act on anyone's uploads). */
export function isAdmin(identity: unknown): boolean {
  const groups = (identity as Record<string, unknown> | null)?.groups as string[] | null | undefined;
  return !!groups && groups.includes(ADMIN_GROUP);
}
