import type { Context } from '@aws-appsync/utils';
import type { MutationCreateUploadUrlArgs } from '../generated/graphql';
import { lastFunctionResult, type ProjectStash } from './lib/pipeline';

export function request(ctx: Context<MutationCreateUploadUrlArgs>) {
  (ctx.stash as ProjectStash).projectID = ctx.args.input.projectID;
  return {};
}

// A function of its own: AppSync refuses a handler that re-assigns another function (no-function-reassign).
export function response(ctx: Context) {
  return lastFunctionResult(ctx);
}
