import type { Context } from '@aws-appsync/utils';
import { lastFunctionResult } from './lib/pipeline';

/** The parent File is the source; signDownloadUrl signs it, batched with its siblings. */
export function request(_ctx: Context) {
  return {};
}

// A function of its own: AppSync refuses a handler that re-assigns another function (no-function-reassign).
export function response(ctx: Context) {
  return lastFunctionResult(ctx);
}
