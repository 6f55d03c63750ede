import type { Context, LambdaRequest } from '@aws-appsync/utils';
import { fail, failWith, type LambdaRefusal } from './errors';

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
    failWith(ctx.error);
  }
  const answer = ctx.result as Record<string, unknown> & { error?: LambdaRefusal };
  if (answer.error) {
    fail(answer.error.message, answer.error.type);
  }
  return answer[key];
}
