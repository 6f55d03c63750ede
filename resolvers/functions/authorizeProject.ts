import { util, type Context } from '@aws-appsync/utils';
import { mayAccessProject, notAuthorizedMessage } from '../../shared/project-access';
import type { ProjectStash } from '../lib/pipeline';
import { fail } from '../lib/errors';

/**
 * Stops the pipeline unless the caller may act on `ctx.stash.projectID`; passes the previous result on.
 * A project learnt from a row (the caller named only a fileID) is not the caller's to learn: an outsider
 * gets what a missing row gives — a null result, which the next step answers as "no such file".
 */
export function request(ctx: Context) {
  const { projectID, projectFromRow } = ctx.stash as ProjectStash;
  if (projectID === undefined) {
    fail('The resolver did not name the project to authorize.', 'InternalFailure');
  }
  if (projectID !== null && !mayAccessProject(util.authType(), ctx.identity, projectID)) {
    if (projectFromRow) {
      return { payload: null };
    }
    fail(notAuthorizedMessage(projectID), 'Unauthorized');
  }
  return { payload: ctx.prev.result };
}

export function response(ctx: Context) {
  return ctx.result;
}
