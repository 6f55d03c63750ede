import { util, type Context, type LambdaRequest } from '@aws-appsync/utils';

/** The event a direct Lambda resolver would send: the functions read arguments, identity and the field name from it. */
export function invokeAsDirectResolver(ctx: Context): LambdaRequest {
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
 * The Lambdas answer refusals as data (`{error}`), because AppSync reports
 * every error a Lambda throws as `Lambda:Unhandled`, hiding the errorType:
 * raise it here with its type, or pass on the answer's `key`.
 */
export function lambdaAnswer(ctx: Context, key: string): unknown {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  const answer = ctx.result as Record<string, unknown> & { error?: { type: string; message: string } };
  if (answer.error) {
    util.error(answer.error.message, answer.error.type);
  }
  return answer[key];
}
