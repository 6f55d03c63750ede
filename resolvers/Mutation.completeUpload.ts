import type { Context } from '@aws-appsync/utils';
import type { MutationCompleteUploadArgs } from '../generated/graphql';
import { lastFunctionResult } from './lib/pipeline';

/** The project to authorize is learnt from the upload's row: getUpload names it. */
export function request(_ctx: Context<MutationCompleteUploadArgs>) {
  return {};
}

// A function of its own: AppSync refuses a handler that re-assigns another function (no-function-reassign).
export function response(ctx: Context) {
  return lastFunctionResult(ctx);
}
