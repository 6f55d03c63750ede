import { util, type Context, type LambdaRequest } from '@aws-appsync/utils';
import type { UploadOutcome } from '../../functions/upload/index';
import type { MutationUploadFileArgs } from '../../generated/graphql';

/** Sends the upload Lambda the event a direct Lambda resolver would send. */
export function request(ctx: Context<MutationUploadFileArgs>): LambdaRequest {
  return {
    operation: 'Invoke',
    payload: {
      arguments: ctx.args,
      identity: ctx.identity,
      source: ctx.source,
      request: ctx.request,
      info: ctx.info,
      prev: ctx.prev,
      stash: ctx.stash,
    },
  };
}

/**
 * The Lambda answers refusals as data (`{error}`), because AppSync reports
 * every error a Lambda throws as `Lambda:Unhandled`, hiding the errorType.
 */
export function response(ctx: Context<MutationUploadFileArgs>) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  const outcome = ctx.result as UploadOutcome;
  if (outcome.error) {
    util.error(outcome.error.message, outcome.error.type);
  }
  return outcome.file;
}
