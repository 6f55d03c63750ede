import type { Context } from '@aws-appsync/utils';
import type { MutationDeleteFileArgs } from '../generated/graphql';
import { lastFunctionResult } from './lib/pipeline';

/** The project to authorize is learnt from the row: getFile names it. */
export function request(_ctx: Context<MutationDeleteFileArgs>) {
  return {};
}

export const response = lastFunctionResult;
