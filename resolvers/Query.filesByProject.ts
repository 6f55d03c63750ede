import type { Context } from '@aws-appsync/utils';
import type { QueryFilesByProjectArgs } from '../generated/graphql';
import { lastFunctionResult, type ProjectStash } from './lib/pipeline';

export function request(ctx: Context<QueryFilesByProjectArgs>) {
  (ctx.stash as ProjectStash).projectID = ctx.args.projectID;
  return {};
}

// A function of its own: AppSync refuses a handler that re-assigns another function (no-function-reassign).
export function response(ctx: Context) {
  return lastFunctionResult(ctx);
}
