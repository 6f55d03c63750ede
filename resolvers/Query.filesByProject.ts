import type { Context } from '@aws-appsync/utils';
import type { QueryFilesByProjectArgs } from '../generated/graphql';
import { lastFunctionResult, type ProjectStash } from './lib/pipeline';

export function request(ctx: Context<QueryFilesByProjectArgs>) {
  (ctx.stash as ProjectStash).projectID = ctx.args.projectID;
  return {};
}

export const response = lastFunctionResult;
