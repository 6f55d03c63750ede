import type { Identity } from '@aws-appsync/utils';

/** The group that may act on every project. */
export const ADMIN_GROUP = 'admins';

/** The group whose members may act on one project. */
export const projectGroup = (projectID: string): string => `project-${projectID}`;

/** Why a caller outside project `projectID` is refused, and what would let it in. */
export const notAuthorizedMessage = (projectID: string): string =>
  `Not authorized for project ${projectID}: the token's cognito:groups must include "${projectGroup(projectID)}" or "${ADMIN_GROUP}".`;

/**
 * The project-membership rule. API-key callers (development, local) and IAM
 * callers (trusted services) pass; a user-pool caller passes when its
 * `cognito:groups` holds `admins` or `project-{projectID}`; anyone else fails.
 */
export function mayAccessProject(identity: Identity, projectID: string): boolean {
  if (!identity) {
    return true;
  }
  const fields = identity as Record<string, unknown>;
  if (fields.userArn) {
    return true;
  }
  const groups = fields.groups as string[] | null | undefined;
  if (!fields.sub || !groups) {
    return false;
  }
  return groups.includes(ADMIN_GROUP) || groups.includes(projectGroup(projectID));
}

/** Whether a user-pool caller is in the admins group (who may act on anyone's uploads). */
export function isAdmin(identity: Identity): boolean {
  const groups = (identity as Record<string, unknown> | null)?.groups as string[] | null | undefined;
  return !!groups && groups.includes(ADMIN_GROUP);
}
