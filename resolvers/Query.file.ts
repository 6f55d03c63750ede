import type { Context } from '@aws-appsync/utils';
import type { QueryFileArgs } from '../generated/graphql';
import { lastFunctionResult } from './lib/pipeline';

/** The project to authorize is learnt from the row: getFile names it. */
export function request(_ctx: Context<QueryFileArgs>) {
  return {};
}

// A function of its own: AppSync refuses a handler that re-assigns another function (no-function-reassign).
export function response(ctx: Context) {
  return lastFunctionResult(ctx);
}
