import type { Context, LambdaRequest } from '@aws-appsync/utils';
import type { MutationDeleteFileArgs } from '../../generated/graphql';
import { invokeAsDirectResolver, lambdaAnswer } from '../lib/lambda';
import { fail } from '../lib/errors';

/** Runs after getFile and authorizeProject: a file that is not available was never there to delete. */
export function request(ctx: Context<MutationDeleteFileArgs>): LambdaRequest {
  if (!ctx.prev.result) {
    fail(`No file has fileID ${ctx.args.fileID}: it may have been deleted already.`, 'NotFound');
  }
  return invokeAsDirectResolver(ctx);
}

export function response(ctx: Context<MutationDeleteFileArgs>) {
  return lambdaAnswer(ctx, 'file');
}
