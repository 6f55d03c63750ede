import type { Context } from '@aws-appsync/utils';

/**
 * Pipeline resolvers name the project they act on in `ctx.stash.projectID`
 * before any function runs; `authorizeProject` checks the caller against it.
 * `null` means "no project to check" (e.g. the file asked for does not exist).
 */
export interface ProjectStash {
  projectID?: string | null;
  /** Set when projectID was read from a row the caller named by fileID: outsiders are then told "no such file". */
  projectFromRow?: boolean;
}

/** The response of a pipeline resolver whose last function shaped the result. */
export const lastFunctionResult = (ctx: Context): unknown => ctx.prev.result;
