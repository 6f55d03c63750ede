import type { Context } from '@aws-appsync/utils';
import { lastFunctionResult } from './lib/pipeline';

/** The parent File is the source; signDownloadUrl signs it, batched with its siblings. */
export function request(_ctx: Context) {
  return {};
}

export const response = lastFunctionResult;
