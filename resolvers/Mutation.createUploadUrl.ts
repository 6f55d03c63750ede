import type { Context } from '@aws-appsync/utils';
import type { MutationCreateUploadUrlArgs } from '../generated/graphql';
import { lastFunctionResult, type ProjectStash } from './lib/pipeline';

export function request(ctx: Context<MutationCreateUploadUrlArgs>) {
  (ctx.stash as ProjectStash).projectID = ctx.args.input.projectID;
  return {};
}

export const response = lastFunctionResult;
