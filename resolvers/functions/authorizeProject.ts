import { util, type Context } from '@aws-appsync/utils';
import { mayAccessProject, notAuthorizedMessage } from '../lib/access';
import type { ProjectStash } from '../lib/pipeline';

/** Stops the pipeline unless the caller may act on `ctx.stash.projectID`; passes the previous result on. */
export function request(ctx: Context) {
  const { projectID } = ctx.stash as ProjectStash;
  if (projectID === undefined) {
    util.error('The resolver did not name the project to authorize.', 'InternalFailure');
  }
  if (projectID !== null && !mayAccessProject(ctx.identity, projectID)) {
    util.error(notAuthorizedMessage(projectID), 'Unauthorized');
  }
  return { payload: ctx.prev.result };
}

export function response(ctx: Context) {
  return ctx.result;
}
